/** "Your calls are signed B today": per account and sub-account, the level, why, and counts. */
import { useEffect, useState } from 'react'
import { Alert, Badge, Button, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core'
import { api, isMissingRoute, type AccountSession } from '../api'
import { useNumbers } from '../components/NumberAssign'
import { DecisionOrNote, useDecision } from '../components/Attestation'
import { STATUS_COLOR } from '../words'
import { SignedChart, type Count } from '../components/SignedChart'

/** A US destination used to ask "what would a call from this number get today". */
const PROBE_TO = '+12025550123'

interface AccountStats { account_sid: string; signing: Count[]; verification: { reason: string; spc: string; count: number }[] }

/** Sub-account cards shown at first and added by "Show more": an ISV may have thousands. */
const CARDS = 10

export function Dashboard({ session }: { session: AccountSession }) {
  const subs = session.sub_account_sids
  const [shown, setShown] = useState(CARDS)
  const accounts = [session.account_sid, ...subs.slice(0, shown)]
  const [stats, setStats] = useState<Record<string, AccountStats>>({})
  useEffect(() => {
    // Only the cards on screen, and only those not fetched yet.
    const missing = accounts.filter((sid) => !(sid in stats))
    if (missing.length === 0) return
    api<{ accounts: AccountStats[] }>('GET', '/console/api/stats', { query: { Accounts: missing.join(',') } })
      .then((r) => setStats((old) => ({ ...old, ...Object.fromEntries(r.accounts.map((a) => [a.account_sid, a])) })))
      .catch(() => undefined)
  }, [accounts.length])
  const more = subs.length - shown
  return (
    <Stack maw={1100}>
      <Title order={2}>Dashboard</Title>
      {subs.length > 0 && <Text size="sm" c="dimmed">{subs.length} sub-account{subs.length === 1 ? '' : 's'}</Text>}
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        {accounts.map((sid) => <AccountCard key={sid} sid={sid} own={sid === session.account_sid} name={sid === session.account_sid ? session.friendly_name : undefined} stats={stats[sid]} />)}
      </SimpleGrid>
      {more > 0 && <Button variant="light" onClick={() => setShown(shown + CARDS)}>Show {Math.min(CARDS, more)} more sub-accounts ({more} not shown)</Button>}
    </Stack>
  )
}

function useCounts(kind: 'CustomerProfiles' | 'TrustProducts', account?: string) {
  const [counts, setCounts] = useState<Record<string, number> | string | undefined>()
  useEffect(() => {
    api('GET', `/v1/${kind}`, { query: { PageSize: '1000' }, account })
      .then((r) => setCounts((r.results as any[]).reduce((m: Record<string, number>, b) => ({ ...m, [b.status]: (m[b.status] ?? 0) + 1 }), {})))
      .catch((e) => setCounts(isMissingRoute(e) ? 'not available yet' : (e as Error).message))
  }, [kind, account])
  return counts
}

function AccountCard({ sid, own, name, stats }: { sid: string; own: boolean; name?: string; stats?: AccountStats }) {
  const account = own ? undefined : sid
  const { numbers } = useNumbers(sid, 0, account)
  const first = numbers?.[0]?.phone_number
  const decision = useDecision(first, PROBE_TO, account)
  const profiles = useCounts('CustomerProfiles', account)
  const products = useCounts('TrustProducts', account)
  const counts = (label: string, c: typeof profiles) => (
    <Group gap="xs"><Text size="sm" w={130}>{label}</Text>
      {typeof c === 'string' ? <Text size="sm" c="dimmed">{c}</Text>
        : c && Object.keys(c).length ? Object.entries(c).map(([s, n]) => <Badge key={s} color={STATUS_COLOR[s] ?? 'gray'} variant="light">{s}: {n}</Badge>)
        : <Text size="sm" c="dimmed">none</Text>}
    </Group>
  )
  return (
    <Card withBorder aria-label={`Account ${name ?? sid}`}>
      <Stack gap="xs">
        <Title order={3} size="h4">{name ?? 'Sub-account'}</Title>
        <Text size="xs" ff="monospace" c="dimmed">{sid}</Text>
        {counts('Profiles', profiles)}
        {counts('Trust products', products)}
        <Group gap="xs"><Text size="sm" w={130}>Numbers</Text><Badge variant="light">{numbers?.length ?? '…'}</Badge></Group>
        {numbers && !first && <Alert color="blue">Add a phone number to see the attestation its calls get.</Alert>}
        {first && <Text size="sm">Calls from {first} today:</Text>}
        <DecisionOrNote {...decision} />
        <Text fw={600} size="sm" mt="xs">Calls signed, last 7 days</Text>
        <SignedChart counts={stats?.signing ?? []} />
        <Text fw={600} size="sm" mt="xs">Inbound verification outcomes</Text>
        {stats?.verification.length
          ? <Group gap="xs">{stats.verification.map((v) => <Badge key={v.reason + v.spc} variant="light" color={v.reason === 'passed' ? 'green' : 'red'}>{v.reason}{v.spc ? ` (${v.spc})` : ''}: {v.count}</Badge>)}</Group>
          : <Text size="sm" c="dimmed">No calls verified yet.</Text>}
      </Stack>
    </Card>
  )
}
