/** "Your calls are signed B today": per account and sub-account, the level, why, and counts. */
import { useEffect, useState } from 'react'
import { Alert, Badge, Button, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core'
import { api, isMissingRoute, type AccountSession } from '../api'
import { useNumbers } from '../components/NumberAssign'
import { DecisionOrNote, useDecision } from '../components/Attestation'
import { STATUS_COLOR } from '../words'
import { SignedChart, type Count } from '../components/SignedChart'
import { OnboardingChecklist } from '../components/OnboardingChecklist'
import { NumbersByLevel } from '../components/NumbersByLevel'
import { FindForm } from '../components/FindForm'

/** A US destination used to ask "what would a call from this number get today". */
const PROBE_TO = '+12025550123'

interface AccountStats {
  account_sid: string
  signing: Count[]
  verification: { reason: string; spc: string; count: number }[]
}

/** Sub-account cards per page ("Show more" adds a page): an ISV may have tens of thousands. */
const CARDS = 10

interface SubAccount {
  readonly sid: string
  readonly friendly_name: string
  readonly status: string
}
interface SubAccountsPage {
  readonly sub_accounts: SubAccount[]
  readonly meta: { readonly next_page_url: string | null }
}

/** The session's sub-accounts, a page at a time, or those a search (SID or name start) finds. */
function useSubAccounts(own: string) {
  const [list, setList] = useState<{
    accounts: SubAccount[]
    next: Record<string, string> | null
    search?: string
    loaded: boolean
  }>({ accounts: [], next: null, loaded: false })
  const [error, setError] = useState('')
  const load = (query: Record<string, string>, append: boolean) =>
    api<SubAccountsPage>('GET', '/console/api/sub-accounts', { query })
      .then((r) =>
        setList((old) => ({
          accounts: [...(append ? old.accounts : []), ...r.sub_accounts],
          // Follow next_page_url's query on this origin (the URL itself carries the public base).
          next: r.meta.next_page_url ? Object.fromEntries(new URL(r.meta.next_page_url).searchParams) : null,
          search: query.Search,
          loaded: true,
        })),
      )
      .catch((e) => {
        setError((e as Error).message)
        setList((old) => ({ ...old, loaded: true }))
      })
  useEffect(() => {
    void load({ PageSize: String(CARDS) }, false)
  }, [own])
  return {
    ...list,
    error,
    more: () => list.next && load(list.next, true),
    find: (text: string) => {
      setError('')
      const search = text.trim()
      return load(search ? { PageSize: String(CARDS), Search: search } : { PageSize: String(CARDS) }, false)
    },
  }
}

export function Dashboard({ session }: { session: AccountSession }) {
  const count = session.sub_account_count
  const subs = useSubAccounts(session.account_sid)
  const [query, setQuery] = useState('')
  const accounts: { sid: string; friendly_name: string; status?: string }[] = [
    { sid: session.account_sid, friendly_name: session.friendly_name },
    ...subs.accounts,
  ]
  const [stats, setStats] = useState<Record<string, AccountStats>>({})
  useEffect(() => {
    // Only the cards on screen, and only those not fetched yet (one request for the first page).
    if (count > 0 && !subs.loaded) return
    const missing = accounts.map((a) => a.sid).filter((sid) => !(sid in stats))
    if (missing.length === 0) return
    api<{ accounts: AccountStats[] }>('GET', '/console/api/stats', { query: { Accounts: missing.join(',') } })
      .then((r) => setStats((old) => ({ ...old, ...Object.fromEntries(r.accounts.map((a) => [a.account_sid, a])) })))
      .catch(() => undefined)
  }, [accounts.map((a) => a.sid).join(), subs.loaded])
  const more = count - subs.accounts.length
  return (
    <Stack maw={1100}>
      <Title order={2}>Dashboard</Title>
      <OnboardingChecklist session={session} />
      <NumbersByLevel accountSid={session.account_sid} />
      {count > 0 && (
        <Group justify="space-between" align="end">
          <Text size="sm" c="dimmed">
            {count} sub-account{count === 1 ? '' : 's'}
          </Text>
          <FindForm
            label="Find a sub-account"
            placeholder="SID or name"
            value={query}
            onChange={setQuery}
            onFind={(q) => void subs.find(q)}
          >
            {subs.search !== undefined && (
              <Button
                size="xs"
                variant="subtle"
                onClick={() => {
                  setQuery('')
                  void subs.find('')
                }}
              >
                Clear
              </Button>
            )}
          </FindForm>
        </Group>
      )}
      {subs.error && <Alert color="red">{subs.error}</Alert>}
      {subs.search !== undefined && (
        <Text size="sm">
          {subs.accounts.length
            ? `Sub-accounts matching “${subs.search}”:`
            : `No sub-account matches “${subs.search}”.`}
        </Text>
      )}
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        {accounts.map((a) => (
          <AccountCard
            key={a.sid}
            sid={a.sid}
            own={a.sid === session.account_sid}
            name={a.friendly_name}
            status={a.status}
            stats={stats[a.sid]}
          />
        ))}
      </SimpleGrid>
      {subs.next && (
        <Button variant="light" onClick={() => void subs.more()}>
          {subs.search === undefined
            ? `Show ${Math.min(CARDS, more)} more sub-accounts (${more} not shown)`
            : 'Show more matches'}
        </Button>
      )}
    </Stack>
  )
}

function useCounts(kind: 'CustomerProfiles' | 'TrustProducts', account?: string) {
  const [counts, setCounts] = useState<Record<string, number> | string | undefined>()
  useEffect(() => {
    api('GET', `/v1/${kind}`, { query: { PageSize: '1000' }, account })
      .then((r) =>
        setCounts(
          (r.results as any[]).reduce(
            (m: Record<string, number>, b) => ({ ...m, [b.status]: (m[b.status] ?? 0) + 1 }),
            {},
          ),
        ),
      )
      .catch((e) => setCounts(isMissingRoute(e) ? 'not available yet' : (e as Error).message))
  }, [kind, account])
  return counts
}

function AccountCard({
  sid,
  own,
  name,
  status,
  stats,
}: {
  sid: string
  own: boolean
  name: string
  status?: string
  stats?: AccountStats
}) {
  const account = own ? undefined : sid
  const { numbers } = useNumbers(sid, 0, account)
  const first = numbers?.[0]?.phone_number
  const decision = useDecision(first, PROBE_TO, account)
  const profiles = useCounts('CustomerProfiles', account)
  const products = useCounts('TrustProducts', account)
  const counts = (label: string, c: typeof profiles) => (
    <Group gap="xs">
      <Text size="sm" w={130}>
        {label}
      </Text>
      {typeof c === 'string' ? (
        <Text size="sm" c="dimmed">
          {c}
        </Text>
      ) : c && Object.keys(c).length ? (
        Object.entries(c).map(([s, n]) => (
          <Badge key={s} color={STATUS_COLOR[s] ?? 'gray'} variant="light">
            {s}: {n}
          </Badge>
        ))
      ) : (
        <Text size="sm" c="dimmed">
          none
        </Text>
      )}
    </Group>
  )
  return (
    <Card withBorder aria-label={`Account ${name}`}>
      <Stack gap="xs">
        <Title order={3} size="h4">
          {name}
        </Title>
        {!own && (
          <Group gap="xs">
            <Text size="xs" c="dimmed">
              Sub-account
            </Text>
            {status && status !== 'active' && (
              <Badge color="red" variant="light" size="sm">
                {status}
              </Badge>
            )}
          </Group>
        )}
        <Text size="xs" ff="monospace" c="dimmed">
          {sid}
        </Text>
        {counts('Profiles', profiles)}
        {counts('Trust products', products)}
        <Group gap="xs">
          <Text size="sm" w={130}>
            Numbers
          </Text>
          <Badge variant="light">{numbers?.length ?? '…'}</Badge>
        </Group>
        {numbers && !first && <Alert color="blue">Add a phone number to see the attestation its calls get.</Alert>}
        {first && <Text size="sm">Calls from {first} today:</Text>}
        <DecisionOrNote {...decision} />
        <SignedChart accountSid={sid} counts={stats?.signing ?? []} />
        <Text fw={600} size="sm" mt="xs">
          Inbound verification outcomes
        </Text>
        {stats?.verification.length ? (
          <Group gap="xs">
            {stats.verification.map((v) => (
              <Badge key={v.reason + v.spc} variant="light" color={v.reason === 'passed' ? 'green' : 'red'}>
                {v.reason}
                {v.spc ? ` (${v.spc})` : ''}: {v.count}
              </Badge>
            ))}
          </Group>
        ) : (
          <Text size="sm" c="dimmed">
            No calls verified yet.
          </Text>
        )}
      </Stack>
    </Card>
  )
}
