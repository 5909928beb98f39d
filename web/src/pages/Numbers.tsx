/** Numbers: list with a filter, release, and bulk assignment to a profile + trust product. */
import { useEffect, useState } from 'react'
import { Alert, Button, Card, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core'
import { api, type AccountSession } from '../api'
import { NumberAssign, useNumbers } from '../components/NumberAssign'
import { useDecision } from '../components/Attestation'

/** A US destination used to ask what a call from each number would get today. */
const PROBE_TO = '+12025550123'
/** Effective levels are looked up for the first rows only: one engine call per number. */
const LEVEL_ROWS = 50

function Level({ tn }: { tn: string }) {
  const { decision, unavailable } = useDecision(tn, PROBE_TO)
  if (unavailable)
    return (
      <Text size="sm" c="dimmed">
        n/a
      </Text>
    )
  return (
    <Text size="sm" fw={600} title={decision?.rule ?? ''}>
      {decision ? (decision.level ?? 'not signed') : '…'}
    </Text>
  )
}

export function Numbers({ session }: { session: AccountSession }) {
  const [reload, setReload] = useState(0)
  const { numbers, error } = useNumbers(session.account_sid, reload)
  const [filter, setFilter] = useState('')
  const [bundles, setBundles] = useState<{ profiles: any[]; products: any[] }>({ profiles: [], products: [] })
  const [profile, setProfile] = useState<string | null>(null)
  const [product, setProduct] = useState<string | null>(null)
  const [msg, setMsg] = useState('')
  useEffect(() => {
    Promise.all([
      api('GET', '/v1/CustomerProfiles', { query: { PageSize: '200' } }),
      api('GET', '/v1/TrustProducts', { query: { PageSize: '200' } }),
    ])
      .then(([p, t]) => setBundles({ profiles: p.results, products: t.results }))
      .catch(() => {})
  }, [])
  const release = async (sid: string, num: string) => {
    if (!window.confirm(`Release ${num}? It leaves this account.`)) return
    try {
      await api('DELETE', `/2010-04-01/Accounts/${session.account_sid}/IncomingPhoneNumbers/${sid}.json`)
      setMsg(`${num} released.`)
      setReload(reload + 1)
    } catch (e) {
      setMsg((e as Error).message)
    }
  }
  const shown = (numbers ?? []).filter(
    (n) =>
      !filter ||
      n.phone_number.includes(filter) ||
      (n.friendly_name ?? '').toLowerCase().includes(filter.toLowerCase()),
  )
  const opts = (xs: any[]) => xs.map((b) => ({ value: b.sid, label: `${b.friendly_name} (${b.status})` }))
  return (
    <Stack maw={1000}>
      <Title order={2}>Phone numbers</Title>
      {error && <Alert color="yellow">{error}</Alert>}
      {msg && <Alert role="status">{msg}</Alert>}
      <Card withBorder>
        <TextInput
          label="Filter"
          placeholder="+1415 or a name"
          value={filter}
          onChange={(e) => setFilter(e.currentTarget.value)}
          mb="sm"
          maw={320}
        />
        <Table.ScrollContainer minWidth={420}>
          <Table aria-label="Phone numbers">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Number</Table.Th>
                <Table.Th>Name</Table.Th>
                <Table.Th>Attestation today</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {shown.map((n, i) => (
                <Table.Tr key={n.sid}>
                  <Table.Td>{n.phone_number}</Table.Td>
                  <Table.Td>{n.friendly_name}</Table.Td>
                  <Table.Td>{i < LEVEL_ROWS ? <Level tn={n.phone_number} /> : null}</Table.Td>
                  <Table.Td>
                    <Button size="xs" variant="subtle" color="red" onClick={() => release(n.sid, n.phone_number)}>
                      Release
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        {numbers && shown.length === 0 && <Text c="dimmed">No numbers.</Text>}
      </Card>
      <Card withBorder>
        <Title order={3} size="h4" mb="sm">
          Assign numbers in bulk
        </Title>
        <Stack>
          <Select
            label="Business profile"
            data={opts(bundles.profiles)}
            value={profile}
            onChange={setProfile}
            maw={480}
          />
          <Select
            label="SHAKEN/STIR trust product"
            data={opts(bundles.products)}
            value={product}
            onChange={setProduct}
            maw={480}
            clearable
          />
          {profile ? (
            <NumberAssign
              key={`${profile}-${product}`}
              accountSid={session.account_sid}
              profile={profile}
              trustProduct={product ?? undefined}
            />
          ) : (
            <Text c="dimmed">Choose a profile first.</Text>
          )}
        </Stack>
      </Card>
    </Stack>
  )
}
