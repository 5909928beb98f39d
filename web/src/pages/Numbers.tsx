/**
 * Phone numbers: every number of the account with the level its calls get today, whether it is
 * on a business profile and a trust product, "why?" per row; sorting, a filter, pages and
 * select-all; bulk assignment as a server job; buying from the inventory; hosting a number.
 */
import { useEffect, useMemo, useState } from 'react'
import {
  Alert,
  Badge,
  Button,
  Card,
  Checkbox,
  Group,
  Pagination,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  UnstyledButton,
} from '@mantine/core'
import { api, type AccountSession } from '../api'
import { BulkAssign, type BundleOption } from '../components/BulkAssign'
import { BuyNumber } from '../components/BuyNumber'
import { HostedOrder } from '../components/HostedOrder'
import { LEVEL_COLOR, WhyPopover } from '../components/WhyPopover'
import { useNumberFacts, type HeldNumber, type NumberFact } from '../components/numberFacts'
import { formatNumber } from '../phone'

const PAGE_SIZE = 25

type SortKey = 'number' | 'level' | 'profile' | 'trust'
type Filter = 'all' | 'no-trust' | 'no-profile' | 'A' | 'B' | 'C'
const FILTERS: { value: Filter; label: string }[] = [
  { value: 'all', label: 'All numbers' },
  { value: 'no-trust', label: 'Not on a trust product' },
  { value: 'no-profile', label: 'Not on a business profile' },
  { value: 'A', label: 'Level A today' },
  { value: 'B', label: 'Level B today' },
  { value: 'C', label: 'Level C today' },
]

interface Row {
  readonly n: HeldNumber
  readonly fact?: NumberFact
  readonly profiles: string[]
  readonly trusts: string[]
}

const namesOf = (f: NumberFact | undefined, kind: string) =>
  (f?.assigned_to ?? []).filter((b) => b.kind === kind).map((b) => b.friendly_name)

function matches(r: Row, filter: Filter, text: string): boolean {
  if (text && !r.n.phone_number.includes(text.replace(/[^\d+]/g, '')) && !formatNumber(r.n.phone_number).includes(text))
    return false
  if (filter === 'no-trust') return r.trusts.length === 0
  if (filter === 'no-profile') return r.profiles.length === 0
  if (filter === 'A' || filter === 'B' || filter === 'C') return r.fact?.level === filter
  return true
}

const sortValue = (r: Row, key: SortKey): string => {
  if (key === 'level') return r.fact?.level ?? 'Z'
  if (key === 'profile') return r.profiles.length ? `0${r.profiles[0]}` : '1'
  if (key === 'trust') return r.trusts.length ? `0${r.trusts[0]}` : '1'
  return r.n.phone_number
}

/** The filter a link asks for (`/console/numbers?filter=B`). */
function initialFilter(): Filter {
  const f = new URLSearchParams(window.location.search).get('filter')
  return FILTERS.some((x) => x.value === f) ? (f as Filter) : 'all'
}

export function Numbers({ session }: { session: AccountSession }) {
  const [reload, setReload] = useState(0)
  const { numbers, facts, error } = useNumberFacts(session.account_sid, reload)
  const [bundles, setBundles] = useState<{ profiles: BundleOption[]; products: BundleOption[] }>({
    profiles: [],
    products: [],
  })
  const [filter, setFilter] = useState<Filter>(initialFilter)
  const [text, setText] = useState('')
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean }>({ key: 'number', desc: false })
  const [page, setPage] = useState(1)
  const [selected, setSelected] = useState<Set<string>>(new Set())
  const [msg, setMsg] = useState('')
  useEffect(() => {
    Promise.all([
      api('GET', '/v1/CustomerProfiles', { query: { PageSize: '200' } }),
      api('GET', '/v1/TrustProducts', { query: { PageSize: '200' } }),
    ])
      .then(([p, t]) => setBundles({ profiles: p.results, products: t.results }))
      .catch(() => undefined)
  }, [])

  const rows = useMemo(() => {
    const all: Row[] = (numbers ?? []).map((n) => {
      const fact = facts.get(n.phone_number)
      return { n, fact, profiles: namesOf(fact, 'customer-profile'), trusts: namesOf(fact, 'trust-product') }
    })
    const shown = all.filter((r) => matches(r, filter, text.trim()))
    shown.sort((a, b) => sortValue(a, sort.key).localeCompare(sortValue(b, sort.key)) * (sort.desc ? -1 : 1))
    return shown
  }, [numbers, facts, filter, text, sort])
  const pages = Math.max(1, Math.ceil(rows.length / PAGE_SIZE))
  const onPage = rows.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE)
  useEffect(() => setPage(1), [filter, text, sort])

  /** The server's reasons name SIDs: say numbers, bundles and this account instead. */
  const humanize = useMemo(() => {
    const names = new Map<string, string>([[session.account_sid, 'this account']])
    for (const n of numbers ?? []) names.set(n.sid, formatNumber(n.phone_number))
    for (const b of [...bundles.profiles, ...bundles.products]) names.set(b.sid, `“${b.friendly_name}”`)
    return (s: string) =>
      s
        .replace(/\baccount (AC[0-9a-f]{32})\b/g, (_, sid) =>
          sid === session.account_sid ? 'this account' : 'another account',
        )
        .replace(
          /\b(?:AC|PN|BU)[0-9a-f]{32}\b/g,
          (sid) => names.get(sid) ?? (sid.startsWith('AC') ? 'another account' : sid),
        )
  }, [numbers, bundles, session.account_sid])

  const allSelected = rows.length > 0 && rows.every((r) => selected.has(r.n.phone_number))
  const someSelected = rows.some((r) => selected.has(r.n.phone_number))
  const toggleAll = () => setSelected(allSelected ? new Set() : new Set(rows.map((r) => r.n.phone_number)))
  const toggle = (e164: string, on: boolean) =>
    setSelected((s) => {
      const next = new Set(s)
      if (on) next.add(e164)
      else next.delete(e164)
      return next
    })
  const release = async (n: HeldNumber) => {
    if (!window.confirm(`Release ${formatNumber(n.phone_number)}? It leaves this account.`)) return
    try {
      await api('DELETE', `/2010-04-01/Accounts/${session.account_sid}/IncomingPhoneNumbers/${n.sid}.json`)
      setMsg(`${formatNumber(n.phone_number)} released.`)
      setReload((x) => x + 1)
    } catch (e) {
      setMsg((e as Error).message)
    }
  }
  const header = (key: SortKey, label: string) => (
    <Table.Th aria-sort={sort.key === key ? (sort.desc ? 'descending' : 'ascending') : 'none'}>
      <UnstyledButton onClick={() => setSort((s) => ({ key, desc: s.key === key ? !s.desc : false }))} fw={700} fz="sm">
        {label} {sort.key === key ? (sort.desc ? '▼' : '▲') : ''}
      </UnstyledButton>
    </Table.Th>
  )
  const yesNo = (names: string[]) =>
    names.length ? (
      <Text size="sm">Yes: {names.join(', ')}</Text>
    ) : (
      <Text size="sm" c="dimmed">
        No
      </Text>
    )

  return (
    <Stack maw={1100}>
      <Title order={2}>Phone numbers</Title>
      {error && <Alert color="yellow">{error}</Alert>}
      {msg && <Alert role="status">{msg}</Alert>}
      <Card withBorder>
        <Group align="end" mb="sm" wrap="wrap">
          <TextInput
            label="Find a number"
            placeholder="310 555"
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
            w={200}
          />
          <Select
            label="Show"
            data={FILTERS}
            value={filter}
            onChange={(v) => setFilter((v as Filter) ?? 'all')}
            allowDeselect={false}
            w={240}
          />
          <Text size="sm" c="dimmed" role="status" data-testid="numbers-count">
            {numbers ? `${rows.length} of ${numbers.length} numbers` : 'Loading…'}
            {selected.size ? `, ${selected.size} ticked` : ''}
          </Text>
        </Group>
        <Table.ScrollContainer minWidth={720}>
          <Table aria-label="Phone numbers" striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>
                  <Checkbox
                    aria-label={`Select all ${rows.length} numbers shown`}
                    checked={allSelected}
                    indeterminate={someSelected && !allSelected}
                    onChange={toggleAll}
                  />
                </Table.Th>
                {header('number', 'Number')}
                {header('level', 'Level today')}
                {header('profile', 'On profile')}
                {header('trust', 'On trust product')}
                <Table.Th>Why</Table.Th>
                <Table.Th>
                  <Text span fz="sm" fw={700}>
                    Release
                  </Text>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {onPage.map((r) => (
                <Table.Tr key={r.n.sid}>
                  <Table.Td>
                    <Checkbox
                      aria-label={`Select ${r.n.phone_number}`}
                      checked={selected.has(r.n.phone_number)}
                      onChange={(e) => toggle(r.n.phone_number, e.currentTarget.checked)}
                    />
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" title={r.n.phone_number} style={{ whiteSpace: 'nowrap' }}>
                      {formatNumber(r.n.phone_number)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {r.fact ? (
                      <Badge color={LEVEL_COLOR[r.fact.level ?? ''] ?? 'gray'} autoContrast data-testid="row-level">
                        {r.fact.level ?? '—'}
                      </Badge>
                    ) : (
                      <Text size="sm">…</Text>
                    )}
                  </Table.Td>
                  <Table.Td>{yesNo(r.profiles)}</Table.Td>
                  <Table.Td>{yesNo(r.trusts)}</Table.Td>
                  <Table.Td>
                    <WhyPopover
                      number={r.n}
                      fact={r.fact}
                      profiles={bundles.profiles}
                      products={bundles.products}
                      humanize={humanize}
                      onChanged={() => setReload((x) => x + 1)}
                    />
                  </Table.Td>
                  <Table.Td>
                    <Button
                      size="compact-xs"
                      variant="subtle"
                      color="red"
                      onClick={() => release(r.n)}
                      aria-label={`Release ${formatNumber(r.n.phone_number)}`}
                    >
                      Release
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        {numbers && rows.length === 0 && (
          <Text c="dimmed">{numbers.length ? 'No number matches.' : 'No numbers yet: buy one below.'}</Text>
        )}
        {pages > 1 && (
          <Pagination
            total={pages}
            value={page}
            onChange={setPage}
            mt="sm"
            getControlProps={(control) => ({ 'aria-label': `${control} page` })}
            getItemProps={(p) => ({ 'aria-label': `Page ${p}` })}
          />
        )}
      </Card>
      <Card withBorder>
        <Title order={3} size="h4" mb="sm">
          Assign numbers in bulk
        </Title>
        <BulkAssign
          profiles={bundles.profiles}
          products={bundles.products}
          selected={[...selected]}
          humanize={humanize}
          onDone={() => setReload((x) => x + 1)}
        />
      </Card>
      <Card withBorder>
        <Title order={3} size="h4" mb="sm">
          Buy a number
        </Title>
        <BuyNumber accountSid={session.account_sid} onBought={() => setReload((x) => x + 1)} />
      </Card>
      <Card withBorder>
        <Title order={3} size="h4" mb="sm">
          Host a number you already have
        </Title>
        <HostedOrder accountSid={session.account_sid} />
      </Card>
    </Stack>
  )
}
