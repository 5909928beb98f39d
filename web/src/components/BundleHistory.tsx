/** A bundle's history as sentences, newest first, from its audit events and evaluations. */
import type { ReactNode } from 'react'
import { Anchor, Card, List, Text, Title } from '@mantine/core'
import { navigate } from '../router'
import { localDate, localDateTime, STATUS_WORDS } from '../words'
import { CODE_TOPIC } from '../bundle-facts'

export interface BundleEvent {
  readonly sid: string
  readonly type: string
  readonly actor: string
  readonly data: Record<string, any>
  readonly date_created: string
}

/** An in-app link to another bundle's page. */
export function BundleLink({ sid, children }: { sid: string; children: ReactNode }) {
  return (
    <Anchor
      href={`/console/bundles/${sid}`}
      onClick={(e) => {
        e.preventDefault()
        navigate(`/bundles/${sid}`)
      }}
    >
      {children}
    </Anchor>
  )
}

const topics = (errors: unknown) =>
  Array.isArray(errors)
    ? errors.map((e: any) => CODE_TOPIC[Number(e?.code ?? e)] ?? `code ${e?.code ?? e}`).join(', ')
    : ''

function sentence(e: BundleEvent, phone: (pn: string) => string, nameOf: (bu: string) => string): ReactNode {
  const d = e.data ?? {}
  switch (e.type) {
    case 'bundle.submitted':
      return 'Submitted for review'
    case 'review.claimed':
      return 'A reviewer started the review'
    case 'review.released':
      return 'Returned to the review queue'
    case 'review.approved':
      return `Approved by ${e.actor === 'operator' ? 'the operator' : 'a reviewer'}${d.valid_until ? `, valid until ${localDate(d.valid_until)}` : ''}`
    case 'review.rejected':
      return `Rejected: ${topics(d.errors) || 'see the reviewer’s note'}${d.failure_reason ? ` — “${d.failure_reason}”` : ''}`
    case 'bundle.status-changed':
      return d.to === 'draft' ? 'Withdrawn to a draft' : `Status changed to ${STATUS_WORDS[d.to] ?? d.to}`
    case 'bundle.copied':
      return (
        <>
          Created as an edited copy of <BundleLink sid={d.copied_from}>{nameOf(d.copied_from)}</BundleLink>
        </>
      )
    case 'bundle.items-replaced':
      return (
        <>
          Updated with the information of its approved copy{' '}
          <BundleLink sid={d.from_bundle_sid}>{nameOf(d.from_bundle_sid)}</BundleLink>
        </>
      )
    case 'bundle.expiring':
      return `Approval runs out on ${localDate(d.valid_until)}`
    case 'bundle.expired':
      return 'Approval ran out'
    case 'channel_endpoint.assigned':
      return `Number ${phone(d.channel_endpoint_sid)} assigned`
    case 'channel_endpoint.unassigned':
      return `Number ${phone(d.channel_endpoint_sid)} removed`
    case 'callback.delivered':
      return 'Status update delivered to your callback URL'
    case 'callback.retrying':
      return 'Status update to your callback URL failed; trying again'
    case 'callback.failed':
      return 'Status update to your callback URL failed'
    default:
      return e.type.replace(/[._-]/g, ' ')
  }
}

/** A person of the account (`user:US… email`) is named after what they did. */
function withPerson(e: BundleEvent, text: ReactNode): ReactNode {
  const m = /^user:US[0-9a-f]{32} (.+)$/.exec(e.actor)
  return m ? (
    <>
      {text}{' '}
      <Text span size="sm" c="dimmed">
        — by {m[1]}
      </Text>
    </>
  ) : (
    text
  )
}

interface HistoryProps {
  readonly created: string
  readonly events: readonly BundleEvent[]
  readonly evaluations: readonly { sid: string; status: string; date_created: string }[]
  /** A number's E.164 form by PN SID (its SID when unknown). */
  readonly phone: (pn: string) => string
  readonly nameOf: (bu: string) => string
}

export function BundleHistory(p: HistoryProps) {
  // A copy's first event says it was created (and from what).
  const copied = p.events.some((e) => e.type === 'bundle.copied')
  // Newest first. Times are to the second, so ties keep the events' own order (newest first),
  // then the checks (a check precedes its submission), then the creation.
  const rows = [
    ...p.events.map((e) => ({ key: e.sid, at: e.date_created, text: withPerson(e, sentence(e, p.phone, p.nameOf)) })),
    ...p.evaluations.map((e) => ({
      key: e.sid,
      at: e.date_created,
      text:
        e.status === 'compliant' ? 'Checked: everything required is there' : 'Checked: something required is missing',
    })),
    ...(copied ? [] : [{ key: 'created', at: p.created, text: 'Created' as ReactNode }]),
  ]
    .map((r, i) => ({ ...r, i }))
    .sort((x, y) => Date.parse(y.at) - Date.parse(x.at) || x.i - y.i)
  return (
    <Card withBorder>
      <Title order={3} size="h4" mb="xs">
        History
      </Title>
      <List size="sm" spacing={4} data-testid="history">
        {rows.map((h) => (
          <List.Item key={h.key}>
            <Text span size="sm" c="dimmed">
              {localDateTime(h.at)}
            </Text>{' '}
            {h.text}
          </List.Item>
        ))}
      </List>
    </Card>
  )
}
