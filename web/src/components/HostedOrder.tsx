/**
 * Hosting a number the account already has elsewhere: a hosted-number order with its letter of
 * authorization (numbers v2 HostedNumber Orders: the signer, the service address, the current
 * carrier), and the account's orders with their status in plain words.
 */
import { useEffect, useState } from 'react'
import { Alert, Badge, Button, Group, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core'
import { api } from '../api'
import { formatNumber } from '../phone'

interface Order {
  readonly sid: string
  readonly phone_number: string
  readonly status: string
  readonly failure_reason: string | null
  readonly date_created: string
}
interface Address {
  readonly sid: string
  readonly customer_name: string
  readonly street: string
  readonly city: string
}

const ORDER_WORDS: Readonly<Record<string, [string, string]>> = {
  received: ['Filed — waiting for a reviewer', 'blue'],
  'pending-verification': ['Being verified', 'indigo'],
  completed: ['Approved — the number is yours', 'green'],
  failed: ['Refused', 'red'],
}

const LOA_FIELDS = [
  ['PhoneNumber', 'Number to host', '+13105550177'],
  ['ContactName', 'Signer’s name', 'Jane Doe'],
  ['ContactTitle', 'Signer’s title', 'Owner'],
  ['Email', 'Signer’s email', 'jane@example.com'],
  ['ContactPhoneNumber', 'Signer’s phone', '+13105550100'],
  ['CurrentCarrier', 'Current carrier', 'Carrier Co'],
  ['CarrierAccountNumber', 'Account number at the carrier', '12345'],
] as const
const ADDRESS_FIELDS = [
  ['CustomerName', 'Name at the address'],
  ['Street', 'Street'],
  ['City', 'City'],
  ['Region', 'State (two letters)'],
  ['PostalCode', 'ZIP code'],
] as const
const NEW_ADDRESS = 'new'

export function HostedOrder({ accountSid }: { accountSid: string }) {
  const [orders, setOrders] = useState<Order[]>()
  const [addresses, setAddresses] = useState<Address[]>([])
  const [address, setAddress] = useState<string | null>(NEW_ADDRESS)
  const [f, setF] = useState<Record<string, string>>({})
  const [msg, setMsg] = useState<{ ok: boolean; text: string }>()
  const [reload, setReload] = useState(0)
  useEffect(() => {
    api('GET', '/v2/HostedNumber/Orders', { query: { PageSize: '50' } })
      .then((r) => setOrders(r.items ?? []))
      .catch(() => setOrders([]))
    api('GET', `/2010-04-01/Accounts/${accountSid}/Addresses.json`, { query: { PageSize: '50' } })
      .then((r) => {
        setAddresses(r.addresses ?? [])
        if (r.addresses?.[0]) setAddress((a) => (a === NEW_ADDRESS ? r.addresses[0].sid : a))
      })
      .catch(() => setAddresses([]))
  }, [accountSid, reload])
  const field = (name: string, label: string, placeholder?: string) => (
    <TextInput
      key={name}
      label={label}
      placeholder={placeholder}
      required
      value={f[name] ?? ''}
      onChange={(e) => {
        const v = e.currentTarget.value
        setF((x) => ({ ...x, [name]: v }))
      }}
    />
  )
  const file = async () => {
    setMsg(undefined)
    try {
      let ad = address
      if (ad === NEW_ADDRESS || !ad) {
        const form = Object.fromEntries(ADDRESS_FIELDS.map(([k]) => [k, f[k] ?? '']))
        ad = (
          await api('POST', `/2010-04-01/Accounts/${accountSid}/Addresses.json`, {
            form: { ...form, IsoCountry: 'US', FriendlyName: 'Service address' },
          })
        ).sid as string
      }
      const form = Object.fromEntries(LOA_FIELDS.map(([k]) => [k, f[k] ?? '']))
      const o = await api<Order>('POST', '/v2/HostedNumber/Orders', { form: { ...form, AddressSid: ad } })
      setMsg({
        ok: true,
        text: `Order filed for ${formatNumber(o.phone_number)}: a reviewer checks the letter of authorization.`,
      })
      setReload((n) => n + 1)
    } catch (e) {
      setMsg({ ok: false, text: (e as Error).message })
    }
  }
  return (
    <Stack>
      <Text size="sm">
        The letter of authorization says who signs for the number and where it is in service; a reviewer compares it
        with your business profile.
      </Text>
      <form
        onSubmit={(e) => {
          e.preventDefault()
          void file()
        }}
      >
        <Stack>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>{LOA_FIELDS.map(([k, l, ph]) => field(k, l, ph))}</SimpleGrid>
          <Select
            label="Service address"
            data={[
              ...addresses.map((a) => ({ value: a.sid, label: `${a.customer_name}, ${a.street}, ${a.city}` })),
              { value: NEW_ADDRESS, label: 'A new address' },
            ]}
            value={address}
            onChange={setAddress}
            allowDeselect={false}
          />
          {address === NEW_ADDRESS && (
            <SimpleGrid cols={{ base: 1, sm: 2 }}>{ADDRESS_FIELDS.map(([k, l]) => field(k, l))}</SimpleGrid>
          )}
          <Button type="submit" w="fit-content">
            File the hosted-number order
          </Button>
        </Stack>
      </form>
      {msg && (
        <Alert color={msg.ok ? 'green' : 'red'} role={msg.ok ? 'status' : 'alert'}>
          {msg.text}
        </Alert>
      )}
      <Title order={4} size="h5">
        Your hosted-number orders
      </Title>
      {orders && orders.length === 0 && <Text c="dimmed">None yet.</Text>}
      {orders && orders.length > 0 && (
        <Table aria-label="Hosted-number orders">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Number</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Filed</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {orders.map((o) => {
              const [words, color] = ORDER_WORDS[o.status] ?? [o.status, 'gray']
              return (
                <Table.Tr key={o.sid}>
                  <Table.Td>{formatNumber(o.phone_number)}</Table.Td>
                  <Table.Td>
                    <Group gap="xs">
                      <Badge color={color} variant="light" h="auto" styles={{ label: { whiteSpace: 'normal' } }}>
                        {words}
                      </Badge>
                      {o.failure_reason && <Text size="sm">{o.failure_reason}</Text>}
                    </Group>
                  </Table.Td>
                  <Table.Td>{new Date(o.date_created).toLocaleDateString()}</Table.Td>
                </Table.Tr>
              )
            })}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  )
}
