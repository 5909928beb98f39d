/** Buying a number from the operator's inventory: search by area code, then buy one. */
import { useState } from 'react'
import { Alert, Button, Group, Stack, Table, Text, TextInput, VisuallyHidden } from '@mantine/core'
import { api } from '../api'
import { formatNumber } from '../phone'

interface Available {
  readonly phone_number: string
}

export function BuyNumber({ accountSid, onBought }: { accountSid: string; onBought: (e164: string) => void }) {
  const [area, setArea] = useState('')
  const [found, setFound] = useState<Available[]>()
  const [msg, setMsg] = useState<{ ok: boolean; text: string }>()
  const search = async () => {
    setMsg(undefined)
    try {
      const r = await api('GET', `/2010-04-01/Accounts/${accountSid}/AvailablePhoneNumbers/US/Local.json`, {
        query: { AreaCode: area.trim() || undefined, PageSize: '10' },
      })
      setFound(r.available_phone_numbers ?? [])
    } catch (e) {
      setMsg({ ok: false, text: (e as Error).message })
    }
  }
  const buy = async (e164: string) => {
    setMsg(undefined)
    try {
      await api('POST', `/2010-04-01/Accounts/${accountSid}/IncomingPhoneNumbers.json`, { form: { PhoneNumber: e164 } })
      setFound((f) => f?.filter((n) => n.phone_number !== e164))
      setMsg({ ok: true, text: `${formatNumber(e164)} is yours now.` })
      onBought(e164)
    } catch (e) {
      setMsg({ ok: false, text: (e as Error).message })
    }
  }
  return (
    <Stack>
      <form
        onSubmit={(e) => {
          e.preventDefault()
          void search()
        }}
      >
        <Group align="end">
          <TextInput
            label="Area code"
            placeholder="310"
            inputMode="numeric"
            maxLength={3}
            value={area}
            onChange={(e) => setArea(e.currentTarget.value.replace(/\D/g, ''))}
            w={120}
          />
          <Button type="submit" variant="light">
            Search
          </Button>
        </Group>
      </form>
      {msg && (
        <Alert color={msg.ok ? 'green' : 'red'} role={msg.ok ? 'status' : 'alert'}>
          {msg.text}
        </Alert>
      )}
      {found && found.length === 0 && <Text c="dimmed">No free numbers{area ? ` in area code ${area}` : ''}.</Text>}
      {found && found.length > 0 && (
        <Table aria-label="Numbers for sale">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Number</Table.Th>
              <Table.Th>
                <VisuallyHidden>Action</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {found.map((n) => (
              <Table.Tr key={n.phone_number}>
                <Table.Td>{formatNumber(n.phone_number)}</Table.Td>
                <Table.Td>
                  <Button
                    size="xs"
                    onClick={() => buy(n.phone_number)}
                    aria-label={`Buy ${formatNumber(n.phone_number)}`}
                  >
                    Buy
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  )
}
