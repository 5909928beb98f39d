/**
 * One review and its decisions. A decision on an unclaimed review claims it (the API does so in
 * the same transaction), so Approve and Reject are offered unless another reviewer holds the
 * claim. Approve reads the checks afresh first: a failed one asks for a stated reason (sent as
 * the override, kept in the audit log); a trust product over an unapproved profile is refused.
 * Reject pre-fills the rejection codes the failed checks suggest. Each decision is confirmed.
 */
import { useCallback, useEffect, useState } from 'react'
import {
  Alert,
  Badge,
  Button,
  Card,
  Group,
  List,
  Modal,
  MultiSelect,
  Stack,
  Text,
  Textarea,
  Title,
} from '@mantine/core'
import { useHotkeys } from '@mantine/hooks'
import { api } from '../../api'
import { REJECTION_CODES, STATUS_COLOR } from '../../words'
import { LINKED_PROFILE_CHECK, suggestedRejectionCodes, type CheckResult } from '../../../../src/domain/review-gate'
import { CHECK_LABEL, KIND_LABEL, localTime, REVIEW_STATUS } from './labels'
import { Attached, Changes, Fields, Linked, Numbers, OrderLoa } from './Facts'
import { BrandFacts } from './BrandFacts'

const OPEN = ['pending-review', 'in-review']
const checkName = (c: CheckResult) => CHECK_LABEL[c.name] ?? c.name

function Checks({ title, checks }: { title: string; checks: CheckResult[] }) {
  return (
    <Stack gap={4} mt="sm">
      <Title order={4} size="h5">
        {title}
      </Title>
      <List size="sm" aria-label={title} spacing={2}>
        {checks.map((c) => (
          <List.Item key={c.name} c={c.passed ? undefined : 'red.9'}>
            <Text span fw={600} size="sm">
              {c.passed ? 'Passed' : 'Failed'}: {checkName(c)}
            </Text>
            {' — '}
            <Text span size="xs">
              {c.evidence}
            </Text>
          </List.Item>
        ))}
      </List>
    </Stack>
  )
}

export function ReviewDetail({
  sid,
  onDecided,
  onOpen,
}: {
  sid: string
  onDecided: () => void
  onOpen: (sid: string) => void
}) {
  const [r, setR] = useState<any>()
  const [codes, setCodes] = useState<string[]>([])
  const [reason, setReason] = useState('')
  const [rejecting, setRejecting] = useState(false)
  const [override, setOverride] = useState<{ failed: CheckResult[]; reason: string } | undefined>()
  const [error, setError] = useState('')
  const [done, setDone] = useState('')
  const [busy, setBusy] = useState(false)
  const load = useCallback(async () => {
    const next = await api('GET', `/admin/v1/Reviews/${sid}`)
    setR(next)
    return next
  }, [sid])
  useEffect(() => {
    load().catch((e) => setError((e as Error).message))
  }, [load])

  const what = r ? `${r.friendly_name || r.phone_number} (${KIND_LABEL[r.kind] ?? r.kind})` : ''
  const post = useCallback(
    async (action: 'Claim' | 'Approve' | 'Reject', json: unknown, said: string) => {
      setError('')
      setDone('')
      setBusy(true)
      try {
        setR(await api('POST', `/admin/v1/Reviews/${sid}/${action}`, { json }))
        setDone(said)
        setOverride(undefined)
        setRejecting(false)
        onDecided()
      } catch (e) {
        setError((e as Error).message)
      } finally {
        setBusy(false)
      }
    },
    [sid, onDecided],
  )
  const open = r && OPEN.includes(r.status)
  const heldByOther = open && r.claimed_by !== null && !r.claimed_by_you
  const canDecide = open && !heldByOther && !busy
  const claim = () => {
    if (r?.status === 'pending-review' && !busy) void post('Claim', {}, `Claimed ${what}: it is yours to decide.`)
  }
  /** Approve after reading the checks afresh: a failed one asks for a reason first. */
  const approve = async () => {
    if (!canDecide) return
    setError('')
    setDone('')
    let fresh: any
    try {
      fresh = await load()
    } catch (e) {
      setError((e as Error).message)
      return
    }
    const failed: CheckResult[] = (fresh.current_checks ?? []).filter((c: CheckResult) => !c.passed)
    // No reason lifts an unapproved profile: the server refuses, and says why.
    if (failed.length === 0 || failed.some((c) => c.name === LINKED_PROFILE_CHECK))
      return post('Approve', {}, `Approved ${what}.`)
    setOverride({ failed, reason: '' })
  }
  const startReject = () => {
    if (!canDecide) return
    setCodes(suggestedRejectionCodes(r.current_checks ?? r.checks ?? []).map(String))
    setRejecting(true)
  }
  useHotkeys([
    ['c', claim],
    ['a', () => void approve()],
    ['r', startReject],
  ])

  if (!r) return error ? <Alert color="red">{error}</Alert> : <Text>Loading…</Text>
  const isOrder = r.kind === 'hosted-number-order'
  const current: CheckResult[] | null = r.current_checks
  return (
    <Card withBorder aria-label="Review detail" component="section">
      <Stack gap="xs">
        <Title order={3} size="h4">
          {r.friendly_name || r.phone_number}
        </Title>
        <Text size="sm">
          {KIND_LABEL[r.kind] ?? r.kind} · submission {r.submission} · submitted {localTime(r.submitted_at)} · due{' '}
          {localTime(r.due_at)}
        </Text>
        <Group gap="xs">
          <Badge color={STATUS_COLOR[r.status] ?? 'gray'} data-testid="review-status">
            {REVIEW_STATUS[r.status] ?? r.status}
          </Badge>
          {r.overdue && <Badge color="red">Overdue</Badge>}
          <Text size="sm" data-testid="claim-note">
            {!open
              ? `Decided by ${r.decided_by_name ?? r.decided_by ?? '—'} on ${localTime(r.decided_at)}`
              : r.claimed_by_you
                ? 'Claimed by you'
                : r.claimed_by
                  ? `Claimed by ${r.claimed_by_name ?? r.claimed_by}: only they can decide until ${localTime(r.claim_expires_at)}`
                  : 'Not claimed: approving or rejecting claims it for you'}
          </Text>
        </Group>
        {done && (
          <Alert color="green" role="status" title="Done">
            {done}
          </Alert>
        )}
        {error && (
          <Alert color="red" role="alert" title="Not done">
            {error}
          </Alert>
        )}
        {open && (
          <Group mt="xs">
            <Button variant="default" onClick={claim} disabled={r.status !== 'pending-review' || busy}>
              Claim (c)
            </Button>
            <Button color="green.8" onClick={() => void approve()} disabled={!canDecide}>
              Approve (a)
            </Button>
            <Button color="red.8" variant="outline" onClick={startReject} disabled={!canDecide}>
              Reject (r)
            </Button>
          </Group>
        )}
        {rejecting && (
          <Stack gap="xs" component="form" aria-label="Rejection" onSubmit={(e) => e.preventDefault()}>
            <MultiSelect
              label="Rejection codes"
              description="Pre-filled from the failed checks"
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
            <Group>
              <Button
                color="red.8"
                type="submit"
                disabled={(!codes.length && !isOrder) || !reason.trim() || busy}
                onClick={() =>
                  post(
                    'Reject',
                    { ...(codes.length ? { Errors: codes.map(Number) } : {}), Reason: reason },
                    `Rejected ${what}${codes.length ? ` with codes ${codes.join(', ')}` : ''}.`,
                  )
                }
              >
                Send rejection
              </Button>
              <Button variant="subtle" onClick={() => setRejecting(false)}>
                Cancel
              </Button>
            </Group>
          </Stack>
        )}
        {current && <Checks title="Automated checks now" checks={current} />}
        {!current && r.checks && <Checks title="Automated checks at the decision" checks={r.checks} />}
        {r.brand && <BrandFacts brand={r.brand} />}
        <Changes r={r} onOpen={onOpen} />
        {isOrder ? (
          <OrderLoa r={r} />
        ) : (
          <>
            <Linked r={r} onOpen={onOpen} />
            <Numbers r={r} />
            <Attached r={r} />
          </>
        )}
        {r.history?.length > 1 && (
          <Fields
            name="Earlier submissions"
            rows={r.history
              .slice(0, -1)
              .map(
                (h: any) =>
                  [
                    `Submission ${h.submission}`,
                    `${REVIEW_STATUS[h.status] ?? h.status}${h.decided_at ? ` on ${localTime(h.decided_at)}` : ''}${h.reason ? `: ${h.reason}` : ''}`,
                  ] as const,
              )}
          />
        )}
      </Stack>
      <Modal
        opened={override !== undefined}
        onClose={() => setOverride(undefined)}
        title="Approve despite failed checks?"
        closeButtonProps={{ 'aria-label': 'Close' }}
        transitionProps={{ duration: 0 }}
      >
        {override && (
          <Stack gap="sm">
            {error && (
              <Alert color="red" role="alert" title="Not approved">
                {error}
              </Alert>
            )}
            <Text size="sm">These checks fail now:</Text>
            <List size="sm">
              {override.failed.map((c) => (
                <List.Item key={c.name}>
                  <Text span fw={600} size="sm">
                    {checkName(c)}
                  </Text>
                  : {c.evidence}
                </List.Item>
              ))}
            </List>
            <Textarea
              label="Why approve anyway"
              description="Kept in the audit log with the failed checks"
              value={override.reason}
              onChange={(e) => setOverride({ ...override, reason: e.currentTarget.value })}
              required
              minRows={3}
              maxLength={2000}
              data-autofocus
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setOverride(undefined)}>
                Cancel
              </Button>
              <Button
                color="green.8"
                disabled={!override.reason.trim() || busy}
                onClick={() =>
                  post(
                    'Approve',
                    { OverrideReason: override.reason.trim() },
                    `Approved ${what} despite ${override.failed.length} failed check${override.failed.length === 1 ? '' : 's'}; your reason is in the audit log.`,
                  )
                }
              >
                Approve with this reason
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Card>
  )
}
