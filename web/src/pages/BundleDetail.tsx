/**
 * One profile or trust product: what it is, where it stands, what it links and carries, its
 * history, and its facts. A draft or rejected bundle is fixed in place (the rejected fields
 * marked) and resubmitted; an approved profile is edited through a copy that is reviewed before
 * it replaces the approved facts, so calls keep their level meanwhile.
 */
import { useEffect, useState } from 'react'
import { Alert, Anchor, Badge, Button, Card, Group, List, Stack, Text, Title } from '@mantine/core'
import { api } from '../api'
import { navigate } from '../router'
import { explainRejection, localDate, STATUS_COLOR, STATUS_WORDS } from '../words'
import { evaluateAndSubmit, evaluationErrors, submitTrustProduct } from '../onboarding'
import { diffSide, FieldError, formValues, kindInWords, previewFacts, saveFacts, type Kind } from '../bundle-facts'
import { evaluationMarks, loadPage, rejectionMarks, type Listed, type Loaded } from '../bundle-page'
import type { Values } from '../fields'
import { diffBundles } from '../../../src/domain/bundle-diff'
import { BundleFacts, type Marks } from '../components/BundleFacts'
import { BundleHistory, BundleLink } from '../components/BundleHistory'
import { BundleLinks } from '../components/BundleLinks'
import { CopyChanges, readableChanges } from '../components/CopyChanges'

/** Where an edited copy stands, as the rest of a sentence. */
const COPY_STATE: Readonly<Record<string, string>> = {
  draft: 'has not been submitted yet',
  'pending-review': 'is waiting for a reviewer',
  'in-review': 'is in review',
  'twilio-approved': 'is approved: apply its changes to this profile',
  'twilio-rejected': 'was rejected: fix it and resubmit',
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
    loadPage(listed, sid, list)
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
        () => {},
        b.account_sid,
        (x) => (tp = x),
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
        <BundleLinks
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
