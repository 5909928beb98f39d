/**
 * Reviewer workspace: the queue (oldest first) with SLA age and overdue rows highlighted, the
 * evidence of a bundle or a hosted-number order (its number and letter of authorization),
 * claim, approve, reject with codes (a bundle's) and a reason. Keyboard: j/k move, c claim,
 * a approve, r reject.
 */
import { useCallback, useEffect, useState } from 'react'
import {
  Alert,
  Badge,
  Button,
  Card,
  Code,
  Grid,
  Group,
  Kbd,
  List,
  MultiSelect,
  Stack,
  Table,
  Text,
  Textarea,
  Title,
} from '@mantine/core'
import { useHotkeys } from '@mantine/hooks'
import { api, isMissingRoute, type AdminSession } from '../api'
import { REJECTION_CODES, STATUS_COLOR } from '../words'
import { PlatformCard } from '../components/Platform'

interface Review {
  bundle_sid: string
  kind: string
  phone_number?: string | null
  account_sid: string
  friendly_name: string
  status: string
  submitted_at: string
  due_at: string
  overdue: boolean
  claimed_by: string | null
  checks?: { name: string; passed: boolean; evidence: unknown }[]
}

const KIND_LABEL: Record<string, string> = {
  'customer-profile': 'Profile',
  'trust-product': 'Trust product',
  'hosted-number-order': 'Hosted number',
}

function age(fromIso: string, now = Date.now()): string {
  const m = Math.max(0, Math.floor((now - Date.parse(fromIso)) / 60000))
  return m < 60 ? `${m} min` : m < 2880 ? `${Math.floor(m / 60)} h ${m % 60} min` : `${Math.floor(m / 1440)} days`
}

export function Reviewer({ session }: { session: AdminSession }) {
  const [queue, setQueue] = useState<Review[] | undefined>()
  const [note, setNote] = useState('')
  // Selection by SID, so a decided bundle stays on screen after it leaves the open queue.
  const [selSid, setSelSid] = useState<string | undefined>()
  const [n, setN] = useState(0)
  useEffect(() => {
    api('GET', '/admin/v1/Reviews', { query: { PageSize: '200' } })
      .then((r) => setQueue(r.results))
      .catch((e) => {
        setQueue([])
        setNote(isMissingRoute(e) ? 'The review queue is not available on this server yet.' : (e as Error).message)
      })
  }, [n])
  const current = selSid ?? queue?.[0]?.bundle_sid
  const sel = queue?.findIndex((r) => r.bundle_sid === current) ?? -1
  const move = (d: number) => {
    if (queue?.length) setSelSid(queue[Math.min(Math.max(sel + d, 0), queue.length - 1)]!.bundle_sid)
  }
  useHotkeys([
    ['j', () => move(1)],
    ['k', () => move(-1)],
  ])
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Review queue</Title>
        <Text size="sm" c="dimmed">
          Keys: <Kbd>j</Kbd>/<Kbd>k</Kbd> move, <Kbd>c</Kbd> claim, <Kbd>a</Kbd> approve, <Kbd>r</Kbd> reject ·{' '}
          {session.role}
        </Text>
      </Group>
      {note && <Alert color="gray">{note}</Alert>}
      {session.role === 'operator' && <PlatformCard />}
      <Grid>
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <Card withBorder>
            <Table.ScrollContainer minWidth={480}>
              <Table aria-label="Bundles waiting for review" highlightOnHover>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Bundle</Table.Th>
                    <Table.Th>Kind</Table.Th>
                    <Table.Th>Waiting</Table.Th>
                    <Table.Th>Status</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {(queue ?? []).map((r, i) => (
                    <Table.Tr
                      key={r.bundle_sid}
                      onClick={() => setSelSid(r.bundle_sid)}
                      aria-selected={i === sel}
                      data-overdue={r.overdue || undefined}
                      bg={
                        i === sel
                          ? 'var(--mantine-color-blue-light)'
                          : r.overdue
                            ? 'var(--mantine-color-red-light)'
                            : undefined
                      }
                      style={{ cursor: 'pointer' }}
                    >
                      <Table.Td>
                        <Button variant="subtle" size="compact-sm" onClick={() => setSelSid(r.bundle_sid)}>
                          {r.friendly_name}
                        </Button>
                      </Table.Td>
                      <Table.Td>{KIND_LABEL[r.kind] ?? r.kind}</Table.Td>
                      <Table.Td>
                        {age(r.submitted_at)}{' '}
                        {r.overdue && (
                          <Badge color="red" size="sm">
                            overdue
                          </Badge>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <Badge color={STATUS_COLOR[r.status] ?? 'gray'}>{r.status}</Badge>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            {queue && queue.length === 0 && !note && <Text c="dimmed">Nothing waiting. Well done.</Text>}
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 6 }}>
          {current && <ReviewDetail key={current} sid={current} onDecided={() => setN((x) => x + 1)} />}
        </Grid.Col>
      </Grid>
    </Stack>
  )
}

function ReviewDetail({ sid, onDecided }: { sid: string; onDecided: () => void }) {
  const [r, setR] = useState<any>()
  const [codes, setCodes] = useState<string[]>([])
  const [reason, setReason] = useState('')
  const [rejecting, setRejecting] = useState(false)
  const [msg, setMsg] = useState('')
  useEffect(() => {
    api('GET', `/admin/v1/Reviews/${sid}`)
      .then(setR)
      .catch((e) => setMsg((e as Error).message))
  }, [sid])
  const act = useCallback(
    async (what: 'Claim' | 'Approve' | 'Reject', json?: unknown) => {
      setMsg('')
      try {
        const next = await api('POST', `/admin/v1/Reviews/${sid}/${what}`, { json: json ?? {} })
        setR((old: any) => ({ ...old, ...next }))
        onDecided()
      } catch (e) {
        setMsg((e as Error).message)
      }
    },
    [sid, onDecided],
  )
  useHotkeys([
    ['c', () => act('Claim')],
    ['a', () => act('Approve')],
    ['r', () => setRejecting(true)],
  ])
  if (!r) return msg ? <Alert color="red">{msg}</Alert> : <Text>Loading…</Text>
  const isOrder = r.kind === 'hosted-number-order'
  const section = (title: string, items: any[] | undefined) =>
    items?.length ? (
      <>
        <Text fw={600} mt="sm">
          {title}
        </Text>
        {items.map((x: any, i: number) => (
          <Code block key={x.sid ?? i} mt={4}>
            {JSON.stringify(x.attributes ?? x, null, 1)}
          </Code>
        ))}
      </>
    ) : null
  return (
    <Card withBorder aria-label="Review detail">
      <Stack gap="xs">
        <Title order={3} size="h4">
          {r.friendly_name}
        </Title>
        <Text size="xs" ff="monospace">
          {r.bundle_sid} · account {r.account_sid}
        </Text>
        <Group>
          <Badge color={STATUS_COLOR[r.status] ?? 'gray'} data-testid="review-status">
            {r.status}
          </Badge>
          {r.claimed_by && <Text size="sm">claimed by {r.claimed_by}</Text>}
        </Group>
        {msg && (
          <Alert color="red" role="alert">
            {msg}
          </Alert>
        )}
        {r.revision_of && <Changes revisionOf={r.revision_of} changes={r.changes} />}
        <Text fw={600} mt="sm">
          Automated checks
        </Text>
        <List size="sm">
          {(r.checks ?? []).map((c: any) => (
            <List.Item key={c.name} c={c.passed ? undefined : 'red.8'}>
              {c.passed ? '✓' : '✗'} {c.name}:{' '}
              <Text span size="xs">
                {typeof c.evidence === 'string' ? c.evidence : JSON.stringify(c.evidence)}
              </Text>
            </List.Item>
          ))}
        </List>
        {isOrder && <OrderLoa order={r.order} address={r.address} profile={r.profile} />}
        {section('End users', r.end_users)}
        {section('Documents', r.documents ?? r.supporting_documents)}
        {section('Addresses', r.addresses)}
        <Group mt="sm">
          <Button variant="default" onClick={() => act('Claim')}>
            Claim (c)
          </Button>
          <Button color="green" onClick={() => act('Approve')}>
            Approve (a)
          </Button>
          <Button color="red" variant="light" onClick={() => setRejecting(true)}>
            Reject (r)
          </Button>
        </Group>
        {rejecting && (
          <Stack gap="xs">
            <MultiSelect
              label="Rejection codes"
              data={Object.entries(REJECTION_CODES).map(([c, t]) => ({ value: c, label: `${c} — ${t.split('.')[0]}` }))}
              value={codes}
              onChange={setCodes}
              required={!isOrder}
              searchable
            />
            <Textarea
              label="Reason the customer can act on"
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
              required
              minRows={2}
            />
            <Button
              color="red"
              disabled={(!codes.length && !isOrder) || !reason.trim()}
              onClick={() => act('Reject', { ...(codes.length ? { Errors: codes.map(Number) } : {}), Reason: reason })}
              w="fit-content"
            >
              Send rejection
            </Button>
          </Stack>
        )}
      </Stack>
    </Card>
  )
}

const line = (a: any) =>
  a
    ? `${[a.street, a.street_secondary].filter(Boolean).join(' ')}, ${a.city}, ${a.region} ${a.postal_code} ${a.iso_country}`
    : '—'

/** A hosted-number order's number and LOA, beside what the checks compare it with. */
function OrderLoa({ order, address, profile }: { order: any; address: any; profile: any }) {
  const rep = profile?.representative
  return (
    <>
      <Text fw={600} mt="sm">
        Letter of authorization
      </Text>
      <Table aria-label="Letter of authorization" withRowBorders={false}>
        <Table.Tbody>
          {(
            [
              ['Number', order.phone_number],
              [
                'Signer',
                `${order.contact_name ?? '(no name)'} <${order.email}>${order.contact_title ? `, ${order.contact_title}` : ''} · ${order.contact_phone_number}`,
              ],
              ['Address', line(address)],
              ['Current carrier', `${order.current_carrier ?? '—'} · account ${order.carrier_account_number ?? '—'}`],
              [
                'Profile',
                profile
                  ? `${profile.sid}: ${rep ? `${rep.first_name} ${rep.last_name} <${rep.email}>` : 'no representative'} · ${profile.addresses.map(line).join('; ') || 'no address'}`
                  : 'no approved primary business profile',
              ],
            ] as const
          ).map(([k, v]) => (
            <Table.Tr key={k}>
              <Table.Td fw={500}>{k}</Table.Td>
              <Table.Td>{v}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </>
  )
}

interface Change {
  object: string
  type: string
  field: string
  before: unknown
  after: unknown
}

const shown = (v: unknown) => (v === null || v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v))

/** A copy's review: the approved bundle it revises and each field it changes. */
function Changes({
  revisionOf,
  changes,
}: {
  revisionOf: { sid: string; status: string | null }
  changes: Change[] | null
}) {
  return (
    <>
      <Text fw={600} mt="sm">
        Changes since the approved version
      </Text>
      <Text size="xs" ff="monospace">
        revision of {revisionOf.sid}
        {revisionOf.status ? ` (${revisionOf.status})` : ''}
      </Text>
      {changes?.length ? (
        <List size="sm" aria-label="Changes since the approved version">
          {changes.map((c, i) => (
            <List.Item key={i}>
              {c.type} · {c.field}: <Code>{shown(c.before)}</Code> → <Code>{shown(c.after)}</Code>
            </List.Item>
          ))}
        </List>
      ) : (
        <Text size="sm" c="dimmed">
          No field changed.
        </Text>
      )}
    </>
  )
}
