/**
 * Reviewer workspace: the queue (oldest first) with due time, overdue and failed-check counts,
 * and the review of the selected bundle or hosted-number order (components/review). Keyboard:
 * j/k move, c claim, a approve, r reject.
 */
import { useCallback, useEffect, useState } from 'react'
import { Alert, Anchor, Badge, Card, Grid, Group, Kbd, Stack, Table, Text, Title } from '@mantine/core'
import { useHotkeys } from '@mantine/hooks'
import { api, isMissingRoute, type AdminSession } from '../api'
import { STATUS_COLOR } from '../words'
import { PlatformCard } from '../components/Platform'
import { ReviewDetail } from '../components/review/ReviewDetail'
import { KIND_LABEL, REVIEW_STATUS } from '../components/review/labels'

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

function age(fromIso: string, now = Date.now()): string {
  const m = Math.max(0, Math.floor((now - Date.parse(fromIso)) / 60000))
  return m < 60 ? `${m} min` : m < 2880 ? `${Math.floor(m / 60)} h ${m % 60} min` : `${Math.floor(m / 1440)} days`
}

const due = (iso: string) =>
  new Date(iso).toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' })

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
  const refresh = useCallback(() => setN((x) => x + 1), [])
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Review queue</Title>
        <Text size="sm" c="dimmed">
          Keys: <Kbd>j</Kbd>/<Kbd>k</Kbd> move, <Kbd>c</Kbd> claim, <Kbd>a</Kbd> approve, <Kbd>r</Kbd> reject ·{' '}
          {session.role === 'operator' ? 'Operator' : 'Reviewer'}
        </Text>
      </Group>
      {note && <Alert color="gray">{note}</Alert>}
      {session.role === 'operator' && <PlatformCard />}
      <Grid>
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <Card withBorder>
            <Table.ScrollContainer minWidth={540}>
              <Table aria-label="Bundles waiting for review" highlightOnHover>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Name</Table.Th>
                    <Table.Th>Kind</Table.Th>
                    <Table.Th>Due</Table.Th>
                    <Table.Th>Failed checks</Table.Th>
                    <Table.Th>Status</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {(queue ?? []).map((r, i) => {
                    const failed = (r.checks ?? []).filter((c) => !c.passed).length
                    return (
                      <Table.Tr
                        key={r.bundle_sid}
                        onClick={() => setSelSid(r.bundle_sid)}
                        aria-selected={i === sel}
                        data-overdue={r.overdue || undefined}
                        bg={
                          i === sel
                            ? 'var(--mantine-color-blue-0)'
                            : r.overdue
                              ? 'var(--mantine-color-red-0)'
                              : undefined
                        }
                        style={{ cursor: 'pointer' }}
                      >
                        <Table.Td>
                          <Anchor
                            component="button"
                            type="button"
                            c="blue.9"
                            fw={600}
                            size="sm"
                            ta="left"
                            onClick={() => setSelSid(r.bundle_sid)}
                          >
                            {r.friendly_name || r.phone_number}
                          </Anchor>
                        </Table.Td>
                        <Table.Td>{KIND_LABEL[r.kind] ?? r.kind}</Table.Td>
                        <Table.Td>
                          <time dateTime={r.due_at}>{due(r.due_at)}</time>{' '}
                          {r.overdue && (
                            <Badge color="red.9" size="sm">
                              Overdue
                            </Badge>
                          )}
                          <Text size="xs">waiting {age(r.submitted_at)}</Text>
                        </Table.Td>
                        <Table.Td data-testid="failed-checks">
                          {failed ? (
                            <Badge color="red.9" size="sm">
                              {failed} failed
                            </Badge>
                          ) : (
                            'None'
                          )}
                        </Table.Td>
                        <Table.Td>
                          <Badge color={STATUS_COLOR[r.status] ?? 'gray'}>{REVIEW_STATUS[r.status] ?? r.status}</Badge>
                        </Table.Td>
                      </Table.Tr>
                    )
                  })}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            {queue && queue.length === 0 && !note && <Text c="dimmed">Nothing waiting. Well done.</Text>}
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          {current && <ReviewDetail key={current} sid={current} onDecided={refresh} onOpen={setSelSid} />}
        </Grid.Col>
      </Grid>
    </Stack>
  )
}
