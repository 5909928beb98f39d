/**
 * Calls: every call signed or verified for the account (and its sub-accounts), newest first.
 * Search by number and origination ID, filter by level, kind and outcome, page through them,
 * open one to see why it got its level (the rule and reasons as decided, the profile, trust
 * product and number origin) or who signed a verified call, and export the filter as CSV.
 */
import { useEffect, useState, type ReactNode } from 'react'
import {
  Alert,
  Badge,
  Button,
  Card,
  Code,
  Drawer,
  Group,
  List,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core'
import type { CallView } from '../../../src/domain/call-view'
import { api, download, type AccountSession } from '../api'
import { formatNumber } from '../phone'
import { codeInWords, ORIGIN_WORDS, RULE_WORDS, verifyReasonInWords } from '../words'
import { LEVEL_COLOR } from '../components/WhyPopover'

interface CallPage {
  readonly calls: CallView[]
  readonly meta: { readonly next_page_url: string | null }
}

const PAGE_SIZE = '25'

/** When a call was made, to the second (calls come many a minute), in the reader's own time zone. */
const callTime = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' })
const PATH = '/stir/v1/calls'

interface Filters {
  from?: string
  to?: string
  origid?: string
  attest?: string
  kind?: string
  outcome?: string
}

const KINDS = [
  { value: '', label: 'Signed and verified' },
  { value: 'signed', label: 'Calls we signed' },
  { value: 'verified', label: 'Calls we verified' },
]
const LEVELS = [
  { value: '', label: 'Any level' },
  { value: 'A', label: 'A — full' },
  { value: 'B', label: 'B — partial' },
  { value: 'C', label: 'C — gateway' },
]
const OUTCOMES = [
  { value: '', label: 'Any outcome' },
  { value: 'signed', label: 'Signed' },
  { value: 'not-signed', label: 'Not signed' },
  { value: 'passed', label: 'Verification passed' },
  { value: 'failed', label: 'Verification failed' },
]

const TRANSPORT: Readonly<Record<string, string>> = { rest: 'REST API', sip: 'SIP', cli: 'Command line' }

/** A call's outcome in two words, for the table. */
function outcomeOf(c: CallView): { word: string; color: string } {
  if (c.kind === 'verified')
    return c.verification?.reason === 'passed' ? { word: 'Passed', color: 'green' } : { word: 'Failed', color: 'red' }
  return c.identity_hash ? { word: 'Signed', color: 'green' } : { word: 'Not signed', color: 'gray' }
}

function Level({ attest }: { attest: CallView['attest'] }) {
  if (!attest)
    return (
      <Text size="sm" c="dimmed">
        None
      </Text>
    )
  return (
    <Badge color={LEVEL_COLOR[attest]} variant="light" aria-label={`Level ${attest}`}>
      {attest}
    </Badge>
  )
}

/** One labelled fact of the detail. */
function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" fw={600}>
        {label}
      </Text>
      <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
        {children}
      </Text>
    </div>
  )
}

const mono = (v: string | null | undefined) => (v ? <Code style={{ overflowWrap: 'anywhere' }}>{v}</Code> : '—')

/**
 * The display name a branded call was signed with: the record's reason line
 * `branded as "<name>": signed rcd…` (src/stir/calls/call-record.ts), the name JSON-quoted.
 */
function brandedName(reasons: readonly string[]): string | undefined {
  const line = reasons.find((r) => r.startsWith('branded as "'))
  const end = line?.indexOf('": signed rcd') ?? -1
  if (!line || end < 0) return undefined
  try {
    return JSON.parse(line.slice('branded as '.length, end + 1)) as string
  } catch {
    return undefined
  }
}

/** Why the call got its level, or who signed a verified call and how it ended. */
function CallDetail({ c }: { c: CallView }) {
  const d = c.decision
  const v = c.verification
  const brand = d ? brandedName(d.reasons) : undefined
  return (
    <Stack gap="md" data-testid="call-detail">
      <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
        <Fact label="When">{callTime(c.date_created)}</Fact>
        <Fact label="Kind">
          {c.kind === 'signed' ? 'Signed by us' : 'Verified by us'}
          {c.ppt === 'div' ? ' (forwarded call)' : ''}
        </Fact>
        <Fact label="From">{formatNumber(c.from)}</Fact>
        <Fact label="To">{c.to.map(formatNumber).join(', ')}</Fact>
        <Fact label="Level">
          <Level attest={c.attest} />
        </Fact>
        <Fact label="Came in over">{TRANSPORT[c.transport] ?? c.transport}</Fact>
        {brand !== undefined && (
          <Fact label="Branded as">
            <span data-testid="call-branded">{brand}</span>
          </Fact>
        )}
      </SimpleGrid>
      {d && (
        <Card withBorder>
          <Title order={3} size="h5" mb="xs">
            Why this level
          </Title>
          <Text size="sm" fw={600} data-testid="call-rule">
            {codeInWords(d.rule, RULE_WORDS)}
          </Text>
          {d.reasons.length > 0 && (
            <List size="sm" mt="xs" data-testid="call-reasons">
              {d.reasons.map((r, i) => (
                <List.Item key={i}>{r}</List.Item>
              ))}
            </List>
          )}
          <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm" mt="sm">
            <Fact label="Business profile">{mono(d.profile_sid)}</Fact>
            <Fact label="Trust product">{mono(d.trust_product_sid)}</Fact>
            <Fact label="Calling number's origin">
              {d.number_origin ? codeInWords(d.number_origin, ORIGIN_WORDS) : '—'}
            </Fact>
          </SimpleGrid>
        </Card>
      )}
      {v && (
        <Card withBorder>
          <Title order={3} size="h5" mb="xs">
            The signer and the result
          </Title>
          <Text size="sm" fw={600} data-testid="call-verification">
            {v.reason ? verifyReasonInWords(v.reason) : '—'}
          </Text>
          <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm" mt="sm">
            <Fact label="Signer (service provider code)">{v.spc ?? 'Unknown'}</Fact>
            <Fact label="Result sent on (verstat)">{v.verstat ?? '—'}</Fact>
            <Fact label="Certificate issuer">{v.cert_issuer ?? '—'}</Fact>
            <Fact label="Certificate serial">{mono(v.cert_serial)}</Fact>
            <Fact label="Certificate fetched from">{v.x5u_host ?? '—'}</Fact>
          </SimpleGrid>
        </Card>
      )}
      <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
        <Fact label="Origination ID (origid)">{mono(c.origid)}</Fact>
        <Fact label="Request ID or SIP Call-ID">{mono(c.request_id)}</Fact>
        <Fact label="Record">{mono(c.sid)}</Fact>
        <Fact label="Identity header fingerprint (SHA-256)">{mono(c.identity_hash)}</Fact>
      </SimpleGrid>
    </Stack>
  )
}

/** The filters as the API's query (empty values left out). */
const queryOf = (f: Filters): Record<string, string> =>
  Object.fromEntries(Object.entries(f).filter(([, v]) => v)) as Record<string, string>

export function Calls({ session }: { session: AccountSession }) {
  const [form, setForm] = useState({ from: '', to: '', origid: '' })
  const [filters, setFilters] = useState<Filters>({})
  /** Queries of the pages after the first (each next_page_url's), so Previous can go back. */
  const [trail, setTrail] = useState<Record<string, string>[]>([])
  const [page, setPage] = useState<CallPage | undefined>()
  const [error, setError] = useState('')
  const [open, setOpen] = useState<CallView | null>(null)
  const [exporting, setExporting] = useState(false)
  const current = trail[trail.length - 1]
  useEffect(() => {
    let live = true
    setError('')
    api<CallPage>('GET', PATH, { query: current ?? { ...queryOf(filters), PageSize: PAGE_SIZE } })
      .then((p) => live && setPage(p))
      .catch((e) => {
        if (!live) return
        setPage(undefined)
        setError((e as Error).message)
      })
    return () => {
      live = false
    }
  }, [JSON.stringify(filters), JSON.stringify(current)])
  const change = (f: Partial<Filters>) => {
    setTrail([])
    setFilters((x) => ({ ...x, ...f }))
  }
  const next = page?.meta.next_page_url
  const exportCsv = async () => {
    setExporting(true)
    try {
      await download(PATH, queryOf(filters), 'text/csv', 'calls.csv')
    } catch (e) {
      setError((e as Error).message)
    } finally {
      setExporting(false)
    }
  }
  return (
    <Stack maw={1100}>
      <Title order={2}>Calls</Title>
      <Text size="sm" c="dimmed">
        Every call we signed or verified for {session.friendly_name}
        {session.sub_account_count > 0 ? ' and its customers' : ''}, newest first, with why it got its level. A call
        shows here about a second after it was made.
      </Text>
      <Card withBorder>
        <form
          onSubmit={(e) => {
            e.preventDefault()
            change({
              from: form.from.trim() || undefined,
              to: form.to.trim() || undefined,
              origid: form.origid.trim() || undefined,
            })
          }}
        >
          <Group align="end" gap="sm" wrap="wrap">
            <TextInput
              label="Calling number"
              placeholder="+1 310 555 0177"
              value={form.from}
              onChange={(e) => setForm({ ...form, from: e.currentTarget.value })}
              w={{ base: '100%', xs: 180 }}
            />
            <TextInput
              label="Called number"
              placeholder="+1 212 555 0100"
              value={form.to}
              onChange={(e) => setForm({ ...form, to: e.currentTarget.value })}
              w={{ base: '100%', xs: 180 }}
            />
            <TextInput
              label="Origination ID (origid)"
              placeholder="123e4567-e89b-…"
              value={form.origid}
              onChange={(e) => setForm({ ...form, origid: e.currentTarget.value })}
              w={{ base: '100%', xs: 300 }}
            />
            <Button type="submit">Search</Button>
          </Group>
        </form>
        <Group align="end" gap="sm" wrap="wrap" mt="sm">
          <Select
            label="Kind"
            data={KINDS}
            value={filters.kind ?? ''}
            onChange={(v) =>
              change({
                kind: v || undefined,
                // An outcome of the other kind would match nothing: it goes.
                outcome:
                  v && filters.outcome && ['passed', 'failed'].includes(filters.outcome) !== (v === 'verified')
                    ? undefined
                    : filters.outcome,
              })
            }
            allowDeselect={false}
            w={{ base: '100%', xs: 200 }}
          />
          <Select
            label="Level"
            data={LEVELS}
            value={filters.attest ?? ''}
            onChange={(v) => change({ attest: v || undefined })}
            allowDeselect={false}
            w={{ base: '100%', xs: 160 }}
          />
          <Select
            label="Outcome"
            data={OUTCOMES.filter(
              (o) =>
                !o.value || !filters.kind || ['passed', 'failed'].includes(o.value) === (filters.kind === 'verified'),
            )}
            value={filters.outcome ?? ''}
            onChange={(v) => change({ outcome: v || undefined })}
            allowDeselect={false}
            w={{ base: '100%', xs: 200 }}
          />
          <Button variant="default" onClick={exportCsv} loading={exporting}>
            Export CSV
          </Button>
        </Group>
      </Card>
      {error && (
        <Alert color="red" role="alert" title="The search was refused">
          {error}
        </Alert>
      )}
      <Table.ScrollContainer minWidth={760}>
        <Table aria-label="Calls" striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>When</Table.Th>
              <Table.Th>Kind</Table.Th>
              <Table.Th>From</Table.Th>
              <Table.Th>To</Table.Th>
              <Table.Th>Level</Table.Th>
              <Table.Th>Outcome</Table.Th>
              <Table.Th>Details</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(page?.calls ?? []).map((c) => {
              const o = outcomeOf(c)
              return (
                <Table.Tr key={c.sid} data-sid={c.sid}>
                  <Table.Td>{callTime(c.date_created)}</Table.Td>
                  <Table.Td>{c.kind === 'signed' ? 'Signed' : 'Verified'}</Table.Td>
                  <Table.Td>{formatNumber(c.from)}</Table.Td>
                  <Table.Td>{c.to.map(formatNumber).join(', ')}</Table.Td>
                  <Table.Td>
                    <Level attest={c.attest} />
                  </Table.Td>
                  <Table.Td>
                    <Badge color={o.color} variant="light">
                      {o.word}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Button
                      size="compact-sm"
                      variant="light"
                      onClick={() => setOpen(c)}
                      aria-label={`Details of the call from ${formatNumber(c.from)} at ${callTime(c.date_created)}`}
                    >
                      Details
                    </Button>
                  </Table.Td>
                </Table.Tr>
              )
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Text size="sm" c="dimmed" role="status" data-testid="calls-status">
        {page
          ? page.calls.length === 0
            ? 'No call matches.'
            : `Page ${trail.length + 1}: ${page.calls.length} call${page.calls.length === 1 ? '' : 's'}`
          : error
            ? ''
            : 'Loading…'}
      </Text>
      {(next || trail.length > 0) && (
        <Group gap="xs" justify="flex-end">
          <Button
            size="xs"
            variant="default"
            disabled={trail.length === 0}
            onClick={() => setTrail((t) => t.slice(0, -1))}
          >
            Previous
          </Button>
          <Button
            size="xs"
            variant="default"
            disabled={!next}
            onClick={() => next && setTrail((t) => [...t, Object.fromEntries(new URL(next).searchParams)])}
          >
            Next
          </Button>
        </Group>
      )}
      <Drawer
        opened={open !== null}
        onClose={() => setOpen(null)}
        position="right"
        size="min(100%, 560px)"
        title={open ? `Call from ${formatNumber(open.from)}` : ''}
        closeButtonProps={{ 'aria-label': 'Close' }}
      >
        {open && <CallDetail c={open} />}
      </Drawer>
    </Stack>
  )
}
