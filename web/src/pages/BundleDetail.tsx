/**
 * One profile or trust product: what it is, where it stands, what it links and carries, its
 * history, and its facts. A draft or rejected bundle is fixed in place (the rejected fields
 * marked) and resubmitted; an approved profile is edited through a copy that is reviewed before
 * it replaces the approved facts, so calls keep their level meanwhile.
 */
import { type MouseEvent, useEffect, useState } from 'react'
import { Alert, Anchor, Badge, Button, Card, Group, List, Stack, Text, Title } from '@mantine/core'
import { api, ApiError } from '../api'
import { navigate } from '../router'
import { explainRejection, localDate, STATUS_COLOR, STATUS_WORDS } from '../words'
import { evaluateAndSubmit, evaluationErrors, submitTrustProduct } from '../onboarding'
import {
  CODE_TOPIC,
  FIELDS_OF_CODE,
  FieldError,
  formValues,
  kindInWords,
  loadFacts,
  previewFacts,
  saveFacts,
  sectionOf,
  type Facts,
  type Kind,
} from '../bundle-facts'
import type { Values } from '../fields'
import { diffBundles } from '../../../src/domain/bundle-diff'
import { diffSide } from '../bundle-facts'
import { BundleFacts, type Marks } from '../components/BundleFacts'
import { BundleHistory, BundleLink, type BundleEvent } from '../components/BundleHistory'
import { CopyChanges, readableChanges } from '../components/CopyChanges'

/** A bundle as the list knows it (for names, kinds and links). */
export interface Listed {
  readonly sid: string
  readonly friendly_name: string
  readonly policy_sid: string
  readonly status: string
  readonly kind: Kind
}

interface Loaded {
  readonly kind: Kind
  readonly b: any
  readonly facts: Facts
  readonly events: BundleEvent[]
  readonly evaluations: any[]
  /** E.164 numbers by PN SID, in assignment order. */
  readonly numbers: Record<string, string>
  /** Trust products that link this profile. */
  readonly linkedBy: string[]
  /** The copy being edited, when this is an approved bundle with one not yet applied. */
  readonly pendingCopy?: any
  /** For a copy: the approved bundle it edits and that bundle's facts. */
  readonly original?: { sid: string; facts: Facts; appliedAt?: string }
  /** Names of linked bundles the list does not hold (another account's). */
  readonly names: Record<string, string>
}

/** The bundle and its kind: a bundle the list does not hold (a sub-account's) is tried as either. */
async function fetchBundle(listed: Kind | undefined, sid: string): Promise<[Kind, any]> {
  if (listed) return [listed, await api('GET', `/v1/${listed}/${sid}`)]
  try {
    return ['CustomerProfiles', await api('GET', `/v1/CustomerProfiles/${sid}`)]
  } catch (e) {
    if (e instanceof ApiError && e.status === 404)
      return ['TrustProducts', await api('GET', `/v1/TrustProducts/${sid}`)]
    throw e
  }
}

async function load(listed: Kind | undefined, sid: string, list: readonly Listed[]): Promise<Loaded> {
  const [kind, b] = await fetchBundle(listed, sid)
  const acct = b.account_sid as string
  const [facts, events, evaluations, channels] = await Promise.all([
    loadFacts(kind, sid, acct),
    api('GET', '/v1/Events', { query: { ResourceSid: sid, PageSize: '200' } }).then((r) => r.results as BundleEvent[]),
    api('GET', `/v1/${kind}/${sid}/Evaluations`, { query: { PageSize: '50' } }).then((r) => r.results as any[]),
    api('GET', `/v1/${kind}/${sid}/ChannelEndpointAssignments`, { query: { PageSize: '200' } }).then(
      (r) => r.results as any[],
    ),
  ])
  const numbers: Record<string, string> = {}
  await Promise.all(
    channels.map(async (c) => {
      const pn = c.channel_endpoint_sid as string
      numbers[pn] = pn
      const n = await api('GET', `/2010-04-01/Accounts/${acct}/IncomingPhoneNumbers/${pn}.json`).catch(() => null)
      if (n?.phone_number) numbers[pn] = n.phone_number
    }),
  )
  const linkedBy =
    kind === 'CustomerProfiles'
      ? (
          await Promise.all(
            list
              .filter((x) => x.kind === 'TrustProducts')
              .map(async (tp) => {
                const r = await api('GET', `/v1/TrustProducts/${tp.sid}/EntityAssignments`, {
                  query: { PageSize: '50' },
                })
                return (r.results as any[]).some((a) => a.object_sid === sid) ? tp.sid : undefined
              }),
          )
        ).filter((x): x is string => !!x)
      : []
  let pendingCopy: any
  if (b.status === 'twilio-approved') {
    const applied = new Set(
      events.filter((e) => e.type === 'bundle.items-replaced').map((e) => e.data?.from_bundle_sid as string),
    )
    const copies = (await api('GET', `/v1/${kind}/${sid}/Copies`, { query: { PageSize: '20' } })).results as any[]
    pendingCopy = copies.find((c) => !applied.has(c.sid))
  }
  const from = events.find((e) => e.type === 'bundle.copied')?.data?.copied_from as string | undefined
  let original: Loaded['original']
  if (from) {
    // An approved copy is applied once: the original's history says when.
    const applied =
      b.status === 'twilio-approved'
        ? (
            (await api('GET', '/v1/Events', { query: { ResourceSid: from, PageSize: '200' } })).results as BundleEvent[]
          ).find((e) => e.type === 'bundle.items-replaced' && e.data?.from_bundle_sid === sid)
        : undefined
    original = { sid: from, facts: await loadFacts(kind, from, acct), appliedAt: applied?.date_created }
  }
  const names: Record<string, string> = {}
  for (const bu of [...facts.linked, ...(from ? [from] : [])].filter((x) => !list.some((l) => l.sid === x))) {
    const linked = await api('GET', `/v1/CustomerProfiles/${bu}`).catch(() => null)
    if (linked) names[bu] = linked.friendly_name
  }
  return { kind, b, facts, events, evaluations, numbers, linkedBy, pendingCopy, original, names }
}

/** Where an edited copy stands, as the rest of a sentence. */
const COPY_STATE: Readonly<Record<string, string>> = {
  draft: 'has not been submitted yet',
  'pending-review': 'is waiting for a reviewer',
  'in-review': 'is in review',
  'twilio-approved': 'is approved: apply its changes to this profile',
  'twilio-rejected': 'was rejected: fix it and resubmit',
}

/**
 * Marks the fields each rejection code is about, on the objects of the section it names: each
 * field says what the reviewer flagged, the section says why in full.
 */
function rejectionMarks(facts: Facts, codes: readonly number[]): Marks {
  const out: Marks = {}
  const objects = [
    ...facts.endUsers.map((u) => ({ sid: u.sid, section: sectionOf(u.type) })),
    ...facts.addresses.map((a) => ({ sid: a.sid, section: sectionOf('address') })),
  ]
  for (const code of codes)
    for (const o of objects) {
      const fields = (FIELDS_OF_CODE[code] ?? []).filter(([section]) => section === o.section).map(([, f]) => f)
      if (fields.length === 0) continue
      const m = (out[o.sid] ??= {})
      m._ = m._ ? `${m._} ${explainRejection(code)}` : explainRejection(code)
      for (const f of fields)
        m[f] = m[f] ? `${m[f]}; ${CODE_TOPIC[code]}` : `Flagged by the reviewer: ${CODE_TOPIC[code]}`
    }
  return out
}

/** Evaluation failures marked on the objects of the section they belong to. */
function evaluationMarks(facts: Facts, ev: Parameters<typeof evaluationErrors>[0]): Marks {
  const bySection = evaluationErrors(ev)
  const out: Marks = {}
  for (const u of facts.endUsers) {
    const s = sectionOf(u.type)
    if (s && s !== 'rep2' && bySection[s]) out[u.sid] = { ...bySection[s] }
  }
  for (const a of facts.addresses) if (bySection.address) out[a.sid] = { ...bySection.address }
  return out
}

export function BundleDetail({ sid, kind: listed, list }: { sid: string; kind?: Kind; list: readonly Listed[] }) {
  const [d, setD] = useState<Loaded>()
  const [values, setValues] = useState<Record<string, Values>>({})
  const [apiMarks, setApiMarks] = useState<Marks>({})
  const [msg, setMsg] = useState<{ ok: boolean; text: string }>()
  const [busy, setBusy] = useState(false)
  const [n, setN] = useState(0)
  useEffect(() => {
    let live = true
    load(listed, sid, list)
      .then((x) => {
        if (!live) return
        setD(x)
        setValues(formValues(x.facts))
      })
      .catch((e) => live && setMsg({ ok: false, text: (e as Error).message }))
    return () => {
      live = false
    }
  }, [sid, listed, n, list])
  if (!d) return msg ? <Alert color="red">{msg.text}</Alert> : <Text>Loading…</Text>
  const { b, facts, kind } = d
  const nameOf = (bu: string) => list.find((x) => x.sid === bu)?.friendly_name ?? d.names[bu] ?? 'another bundle'
  const codes = ((b.errors ?? []) as { code: number }[]).map((e) => e.code)
  const rejected = b.status === 'twilio-rejected'
  const isCopy = !!d.original
  const editable = b.status === 'draft' || rejected
  const marks: Marks = {}
  for (const src of [rejected ? rejectionMarks(facts, codes) : {}, apiMarks])
    for (const [k, v] of Object.entries(src)) marks[k] = { ...marks[k], ...v }
  const reason = String(d.events.find((e) => e.type === 'review.rejected')?.data?.failure_reason ?? '')
  const submittedAt = d.events.find((e) => e.type === 'bundle.submitted')?.date_created
  const changes = d.original ? diffBundles(diffSide(d.original.facts), diffSide(previewFacts(facts, values))) : []

  const run = async (f: () => Promise<string | undefined>) => {
    setBusy(true)
    setMsg(undefined)
    try {
      const done = await f()
      if (done) {
        setMsg({ ok: true, text: done })
        setN((x) => x + 1)
      }
    } catch (e) {
      if (e instanceof FieldError) {
        setApiMarks({ [e.objectSid]: { [e.field ?? '_']: e.message } })
        setMsg({ ok: false, text: 'The server refused a change: see the field marked below.' })
      } else setMsg({ ok: false, text: (e as Error).message })
    } finally {
      setBusy(false)
    }
  }
  const submit = () =>
    run(async () => {
      setApiMarks({})
      // A copy's address that the approved profile names is replaced, never edited.
      const keep = new Set(d.original?.facts.addresses.map((a) => a.sid))
      await saveFacts(facts, values, { account: b.account_sid, keep })
      const ev = await evaluateAndSubmit(kind, sid, b.policy_sid, () => {})
      if (ev.status !== 'compliant') {
        setApiMarks(evaluationMarks(facts, ev))
        setN((x) => x + 1)
        const other = Object.values(evaluationErrors(ev).other ?? {})
        throw new Error(
          `Something required is missing or not valid: ${other.length ? `${other.join(' ')} ` : ''}fix the fields marked below, then submit again.`,
        )
      }
      return isCopy ? 'The copy was submitted for review.' : 'Resubmitted for review.'
    })
  const makeCopy = () =>
    run(async () => {
      const copy = await api('POST', `/v1/${kind}/${sid}/Copies`, {
        form: { FriendlyName: `${b.friendly_name} (edited copy)`.slice(0, 255) },
      })
      navigate(`/bundles/${copy.sid}`)
      return undefined
    })
  const createTrustProduct = () =>
    run(async () => {
      let tp = ''
      await submitTrustProduct(
        sid,
        b.friendly_name,
        b.email,
        undefined,
        (x) => (tp = x),
        () => {},
      )
      navigate(`/bundles/${tp}`)
      return undefined
    })
  const apply = (originalSid: string, copySid: string) =>
    run(async () => {
      await api('POST', `/v1/${kind}/${originalSid}/ReplaceItems`, { form: { FromBundleSid: copySid } })
      return originalSid === sid
        ? 'The approved changes now apply to this profile.'
        : 'The approved changes now apply to the approved profile.'
    })

  return (
    <Stack maw={1000}>
      <Anchor
        href="/console/bundles"
        onClick={(e) => {
          e.preventDefault()
          navigate('/bundles')
        }}
      >
        ← All profiles and trust products
      </Anchor>
      <Stack gap={4}>
        <Title order={2}>{b.friendly_name}</Title>
        <Group gap="sm">
          <Text>{kindInWords(kind, b.policy_sid)}</Text>
          <Badge size="lg" color={STATUS_COLOR[b.status] ?? 'gray'} data-testid="bundle-status">
            {STATUS_WORDS[b.status] ?? b.status}
          </Badge>
        </Group>
        <Text size="sm" c="dimmed" data-testid="bundle-dates">
          Created {localDate(b.date_created)}
          {submittedAt ? ` · submitted ${localDate(submittedAt)}` : ''}
          {b.valid_until ? ` · valid until ${localDate(b.valid_until)}` : ''}
        </Text>
      </Stack>
      {msg && (
        <Alert color={msg.ok ? 'green' : 'red'} role="status">
          {msg.text}
        </Alert>
      )}
      {rejected && (
        <Alert color="red" title="Why it was rejected" data-testid="rejection">
          <List>
            {codes.map((c) => (
              <List.Item key={c}>{explainRejection(c)}</List.Item>
            ))}
          </List>
          {reason && (
            <Text mt="xs" data-testid="rejection-reason">
              Reviewer's note: {reason}
            </Text>
          )}
          <Text mt="xs">The fields these are about are marked below. Correct them, then resubmit for review.</Text>
        </Alert>
      )}
      {d.original && (
        <Card withBorder data-testid="copy-of">
          <Title order={3} size="h4" mb="xs">
            Edited copy of <BundleLink sid={d.original.sid}>{nameOf(d.original.sid)}</BundleLink>
          </Title>
          {d.original.appliedAt ? (
            <Text>Its changes were applied to the approved profile on {localDate(d.original.appliedAt)}.</Text>
          ) : (
            <>
              <Text mb="sm">
                Calls keep the approved profile's level while this copy is reviewed: nothing changes for your numbers
                until the copy is approved and its changes are applied to the approved profile.
              </Text>
              {b.status === 'twilio-approved' && (
                <Button mb="sm" onClick={() => apply(d.original!.sid, sid)} loading={busy}>
                  Apply the approved changes
                </Button>
              )}
              <Title order={4} size="h5" mb="xs">
                What changes
              </Title>
              <CopyChanges changes={changes} />
            </>
          )}
        </Card>
      )}
      {d.pendingCopy && (
        <Card withBorder data-testid="pending-copy">
          <Title order={3} size="h4" mb="xs">
            Edits waiting
          </Title>
          <Text>
            An edited copy of this profile {COPY_STATE[d.pendingCopy.status] ?? 'exists'}:{' '}
            <BundleLink sid={d.pendingCopy.sid}>open the copy</BundleLink>. Calls keep this profile's level meanwhile.
          </Text>
          {d.pendingCopy.status === 'twilio-approved' && (
            <Button mt="sm" onClick={() => apply(sid, d.pendingCopy.sid)} loading={busy}>
              Apply the approved changes
            </Button>
          )}
        </Card>
      )}
      {b.status === 'twilio-approved' && kind === 'CustomerProfiles' && !d.pendingCopy && (
        <Group>
          <Button onClick={makeCopy} loading={busy}>
            Edit approved profile
          </Button>
          <Text size="sm" c="dimmed">
            Changes go through a copy that a reviewer approves; this profile stays approved meanwhile.
          </Text>
        </Group>
      )}
      {/* A copy carries no numbers and links nothing new: they stay with the approved profile. */}
      {!isCopy && (
        <Linked
          d={d}
          kind={kind}
          nameOf={nameOf}
          busy={busy}
          onCreateTrustProduct={
            kind === 'CustomerProfiles' && b.status === 'twilio-approved' ? createTrustProduct : undefined
          }
        />
      )}
      <BundleFacts
        facts={facts}
        editable={editable}
        values={values}
        marks={marks}
        onChange={(o, name, value) => setValues((v) => ({ ...v, [o]: { ...v[o], [name]: value } }))}
      />
      {editable && (
        <Group>
          <Button onClick={submit} loading={busy} disabled={isCopy && readableChanges(changes).length === 0}>
            {isCopy ? 'Submit the copy for review' : rejected ? 'Resubmit for review' : 'Submit for review'}
          </Button>
        </Group>
      )}
      <BundleHistory
        created={b.date_created}
        events={d.events}
        evaluations={d.evaluations}
        phone={(pn) => d.numbers[pn] ?? 'a number'}
        nameOf={nameOf}
      />
    </Stack>
  )
}

/** The bundles it links or is linked by, and its numbers. */
function Linked(p: {
  d: Loaded
  kind: Kind
  nameOf: (bu: string) => string
  /** The next step of an approved profile without a trust product. */
  onCreateTrustProduct?: () => void
  busy: boolean
}) {
  const { d, kind, nameOf } = p
  const numbers = Object.values(d.numbers)
  const links = d.facts.linked
  return (
    <Card withBorder>
      <Stack gap="sm">
        {links.length > 0 && (
          <div data-testid="linked-profile">
            <Text fw={600}>{kind === 'TrustProducts' ? 'Business profile' : 'Primary business profile'}</Text>
            {links.map((s) => (
              <BundleLink key={s} sid={s}>
                {nameOf(s)}
              </BundleLink>
            ))}
          </div>
        )}
        {kind === 'CustomerProfiles' && (
          <div data-testid="linked-trust-products">
            <Text fw={600}>Trust products</Text>
            {d.linkedBy.length === 0 ? (
              <>
                <Text c="dimmed">
                  No trust product links this profile yet: calls from its numbers cannot be signed A.
                </Text>
                {p.onCreateTrustProduct && (
                  <Button mt="xs" onClick={p.onCreateTrustProduct} loading={p.busy}>
                    Create the SHAKEN/STIR trust product
                  </Button>
                )}
              </>
            ) : (
              <List>
                {d.linkedBy.map((s) => (
                  <List.Item key={s}>
                    <BundleLink sid={s}>{nameOf(s)}</BundleLink>
                  </List.Item>
                ))}
              </List>
            )}
          </div>
        )}
        <div data-testid="bundle-numbers">
          <Text fw={600}>Phone numbers</Text>
          {numbers.length === 0 ? (
            <Text c="dimmed">No numbers yet.</Text>
          ) : (
            <List>
              {numbers.map((p) => (
                <List.Item key={p}>{p}</List.Item>
              ))}
            </List>
          )}
          <Button
            mt="xs"
            variant="light"
            component="a"
            href="/console/numbers"
            onClick={(e: MouseEvent) => {
              e.preventDefault()
              navigate('/numbers')
            }}
          >
            {numbers.length === 0 ? 'Assign numbers' : 'Manage numbers'}
          </Button>
        </div>
      </Stack>
    </Card>
  )
}
