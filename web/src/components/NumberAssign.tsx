/**
 * Bulk assignment of numbers to a profile and its trust product: tick numbers from the list
 * or paste a CSV of E.164 numbers / PN SIDs; a progress bar follows each call.
 */
import { useEffect, useMemo, useState } from 'react'
import { Alert, Button, Checkbox, Progress, Stack, Table, Text, Textarea } from '@mantine/core'
import { api } from '../api'
import { assignNumbers } from '../onboarding'
import { parseCsv } from '../csv'

export interface PhoneNumber {
  sid: string
  phone_number: string
  friendly_name?: string
}

export function useNumbers(accountSid: string, reload = 0, account?: string) {
  const [numbers, setNumbers] = useState<PhoneNumber[] | undefined>(undefined)
  const [error, setError] = useState('')
  useEffect(() => {
    api('GET', `/2010-04-01/Accounts/${accountSid}/IncomingPhoneNumbers.json`, { query: { PageSize: '1000' }, account })
      .then((r) => setNumbers(r.incoming_phone_numbers ?? []))
      .catch((e) => {
        setNumbers([])
        setError((e as Error).message)
      })
  }, [accountSid, reload, account])
  return { numbers, error }
}

export interface NumberAssignProps {
  readonly accountSid: string
  readonly profile: string
  readonly trustProduct?: string
  readonly account?: string
}

export function NumberAssign(p: NumberAssignProps) {
  const { numbers, error } = useNumbers(p.accountSid, 0, p.account)
  const [picked, setPicked] = useState<string[]>([])
  const [csv, setCsv] = useState('')
  const [done, setDone] = useState<{ n: number; failed: string[] } | null>(null)
  const [total, setTotal] = useState(0)
  const bySid = useMemo(
    () =>
      new Map(
        (numbers ?? []).flatMap((n) => [
          [n.sid, n],
          [n.phone_number, n],
        ]),
      ),
    [numbers],
  )

  const run = async () => {
    const fromCsv = parseCsv(csv).map((x) => bySid.get(x)?.sid ?? x)
    const unknown = fromCsv.filter((x) => !x.startsWith('PN'))
    const sids = [...new Set([...picked, ...fromCsv.filter((x) => x.startsWith('PN'))])]
    setTotal(sids.length)
    setDone({ n: 0, failed: unknown.map((u) => `${u}: not a number on this account`) })
    await assignNumbers(
      sids,
      p.profile,
      p.trustProduct,
      (i, err) =>
        setDone((d) => ({
          n: (d?.n ?? 0) + 1,
          failed: err
            ? [...(d?.failed ?? []), `${bySid.get(sids[i]!)?.phone_number ?? sids[i]}: ${err}`]
            : (d?.failed ?? []),
        })),
      p.account,
    )
  }

  return (
    <Stack>
      {error && <Alert color="yellow">{error}</Alert>}
      {numbers && numbers.length === 0 && <Text>No numbers on this account yet.</Text>}
      {numbers && numbers.length > 0 && (
        <Table striped aria-label="Numbers to assign">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Select</Table.Th>
              <Table.Th>Number</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {numbers.map((n) => (
              <Table.Tr key={n.sid}>
                <Table.Td>
                  <Checkbox
                    aria-label={`Select ${n.phone_number}`}
                    checked={picked.includes(n.sid)}
                    onChange={(e) => {
                      const on = e.currentTarget.checked
                      setPicked((x) => (on ? [...x, n.sid] : x.filter((y) => y !== n.sid)))
                    }}
                  />
                </Table.Td>
                <Table.Td>{n.phone_number}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Textarea
        label="Or paste numbers (CSV)"
        description="E.164 numbers or PN SIDs, separated by commas or new lines"
        value={csv}
        onChange={(e) => setCsv(e.currentTarget.value)}
        autosize
        minRows={2}
      />
      <Button onClick={run} disabled={!picked.length && !csv.trim()} w="fit-content">
        Assign to profile and trust product
      </Button>
      {done && (
        <Stack gap="xs">
          <Progress value={total ? (done.n / total) * 100 : 100} aria-label="Assignment progress" />
          <Text role="status" size="sm">
            {done.n} of {total} assigned{done.failed.length ? `, ${done.failed.length} failed` : ''}
          </Text>
          {done.failed.map((f) => (
            <Alert key={f} color="red">
              {f}
            </Alert>
          ))}
        </Stack>
      )}
    </Stack>
  )
}
