/**
 * An ISV's customers: one row per sub-account, a page at a time (an ISV may have thousands),
 * with its secondary profile, its trust product, how many numbers it holds, and what to do
 * next. Each row reads its own account's state; `version` changing reads everything again.
 */
import { useEffect, useState } from 'react'
import { Alert, Badge, Button, Group, ScrollArea, Table, Text } from '@mantine/core'
import { api } from '../api'
import { FindForm } from './FindForm'
import { STATUS_COLOR, STATUS_SHORT } from '../words'
import { furthest, loadBundles, POLICY, type AccountBundles } from '../onboarding'

export interface SubAccount {
  readonly sid: string
  readonly friendly_name: string
  readonly status: string
}
interface SubAccountsPage {
  readonly sub_accounts: SubAccount[]
  readonly meta: { readonly next_page_url: string | null }
}

const PAGE = 20

/** The signed-in account's sub-accounts, newest first, a page at a time or as a search finds them. */
function useSubAccountPages(version: number) {
  const [rows, setRows] = useState<SubAccount[] | undefined>()
  const [next, setNext] = useState<Record<string, string> | null>(null)
  const [search, setSearch] = useState('')
  const [error, setError] = useState('')
  const load = (query: Record<string, string>, append: boolean) =>
    api<SubAccountsPage>('GET', '/console/api/sub-accounts', { query, account: '' })
      .then((r) => {
        setRows((old) => [...(append ? (old ?? []) : []), ...r.sub_accounts])
        // Follow next_page_url's query on this origin (the URL itself carries the public base).
        setNext(r.meta.next_page_url ? Object.fromEntries(new URL(r.meta.next_page_url).searchParams) : null)
      })
      .catch((e) => setError((e as Error).message))
  const first = (s: string) => load(s ? { PageSize: String(PAGE), Search: s } : { PageSize: String(PAGE) }, false)
  useEffect(() => {
    void first(search)
  }, [version])
  return {
    rows,
    error,
    more: next ? () => load(next, true) : undefined,
    find: (s: string) => {
      setSearch(s.trim())
      return first(s.trim())
    },
  }
}

/** A bundle's status as a badge, "Not started" when there is none. */
function StatusBadge({ status }: { status?: string }) {
  return (
    <Badge color={STATUS_COLOR[status ?? ''] ?? 'gray'} variant="light" style={{ flexShrink: 0, overflow: 'visible' }}>
      {status ? (STATUS_SHORT[status] ?? status) : 'Not started'}
    </Badge>
  )
}

export interface CustomerActions {
  readonly onContinue: (a: SubAccount) => void
  readonly onActAs: (a: SubAccount, then?: string) => void
}

function CustomerRow({ a, version, actions }: { a: SubAccount; version: number; actions: CustomerActions }) {
  const [state, setState] = useState<{ bundles: AccountBundles; numbers: number; more: boolean }>()
  const [error, setError] = useState('')
  useEffect(() => {
    Promise.all([
      loadBundles(a.sid),
      api('GET', `/2010-04-01/Accounts/${a.sid}/IncomingPhoneNumbers.json`, {
        query: { PageSize: '1000' },
        account: a.sid,
      }),
    ])
      .then(([bundles, n]) =>
        setState({ bundles, numbers: (n.incoming_phone_numbers ?? []).length, more: !!n.next_page_uri }),
      )
      .catch((e) => setError((e as Error).message))
  }, [a.sid, version])
  const profile = state && furthest(state.bundles.profiles)
  const tp = state && furthest(state.bundles.trustProducts, POLICY.SHAKEN_STIR)
  const done = tp?.status === 'twilio-approved'
  return (
    <Table.Tr data-account={a.sid}>
      <Table.Th scope="row" fw={500}>
        {a.friendly_name}
        {a.status !== 'active' && (
          <Text span size="xs" c="dimmed">
            {' '}
            ({a.status})
          </Text>
        )}
      </Table.Th>
      <Table.Td data-testid="profile-status">
        {state ? <StatusBadge status={profile?.status} /> : error || '…'}
      </Table.Td>
      <Table.Td data-testid="trust-status">{state ? <StatusBadge status={tp?.status} /> : '…'}</Table.Td>
      <Table.Td data-testid="numbers">{state ? `${state.numbers}${state.more ? '+' : ''}` : '…'}</Table.Td>
      <Table.Td>
        <Group gap={6} wrap="nowrap">
          {!done && (
            <Button
              size="compact-xs"
              onClick={() => actions.onContinue(a)}
              aria-label={`Continue onboarding ${a.friendly_name}`}
            >
              Continue onboarding
            </Button>
          )}
          {profile && (
            <Button
              size="compact-xs"
              variant="light"
              onClick={() => actions.onActAs(a, `/bundles/${profile.sid}`)}
              aria-label={`Open the profile of ${a.friendly_name}`}
            >
              Open
            </Button>
          )}
          <Button
            size="compact-xs"
            variant="default"
            onClick={() => actions.onActAs(a)}
            aria-label={`Act as ${a.friendly_name}`}
          >
            Act as
          </Button>
        </Group>
      </Table.Td>
    </Table.Tr>
  )
}

/** The table with its search and "show more"; `version` bumps re-read every row. */
export function CustomersTable({ version, actions }: { version: number; actions: CustomerActions }) {
  const pages = useSubAccountPages(version)
  const [query, setQuery] = useState('')
  return (
    <>
      <FindForm
        label="Find a customer"
        placeholder="Name or account SID"
        value={query}
        onChange={setQuery}
        onFind={(q) => void pages.find(q)}
        mb="sm"
      />
      {pages.error && (
        <Alert color="red" role="alert">
          {pages.error}
        </Alert>
      )}
      {pages.rows && pages.rows.length === 0 ? (
        <Text c="dimmed">{query ? `No customer matches “${query}”.` : 'No customers yet.'}</Text>
      ) : (
        <ScrollArea type="auto" offsetScrollbars>
          <Table aria-label="Customers" miw={760} verticalSpacing="xs" style={{ whiteSpace: 'nowrap' }}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Customer</Table.Th>
                <Table.Th scope="col">Business profile</Table.Th>
                <Table.Th scope="col">Trust product</Table.Th>
                <Table.Th scope="col">Numbers</Table.Th>
                <Table.Th scope="col">Actions</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(pages.rows ?? []).map((a) => (
                <CustomerRow key={a.sid} a={a} version={version} actions={actions} />
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      )}
      {pages.more && (
        <Button variant="subtle" size="xs" onClick={pages.more} w="fit-content">
          Show more customers
        </Button>
      )}
    </>
  )
}
