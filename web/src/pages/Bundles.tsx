/**
 * Profiles and trust products: status, submission/decision history, rejection codes in plain
 * words, and edit-and-resubmit for rejected bundles.
 */
import { useEffect, useState } from 'react'
import { Alert, Anchor, Badge, Button, Card, List, Stack, Table, Text, Title } from '@mantine/core'
import { api, isMissingRoute, type AccountSession } from '../api'
import { navigate } from '../router'
import { explainRejection, STATUS_COLOR, STATUS_WORDS } from '../words'
import { evaluateAndSubmit, evaluationErrors, type FieldErrors } from '../onboarding'
import { StepFields } from '../components/StepFields'
import type { StepKey } from '../fields'

type Kind = 'CustomerProfiles' | 'TrustProducts'
const kindOf = (sid: string, list: Record<Kind, any[]>): Kind =>
  list.TrustProducts.some((b) => b.sid === sid) ? 'TrustProducts' : 'CustomerProfiles'

export function Bundles({ path }: { session: AccountSession; path: string }) {
  const [list, setList] = useState<Record<Kind, any[]> | undefined>()
  const [note, setNote] = useState('')
  const [n, setN] = useState(0)
  useEffect(() => {
    Promise.all(
      (['CustomerProfiles', 'TrustProducts'] as const).map((k) =>
        api('GET', `/v1/${k}`, { query: { PageSize: '200' } }).then((r) => r.results as any[]),
      ),
    )
      .then(([p, t]) => setList({ CustomerProfiles: p!, TrustProducts: t! }))
      .catch((e) => {
        setNote(
          isMissingRoute(e)
            ? 'Profiles and trust products are not available on this server yet.'
            : (e as Error).message,
        )
        setList({ CustomerProfiles: [], TrustProducts: [] })
      })
  }, [n])
  const selected = /^\/bundles\/(BU[0-9a-f]{32})/.exec(path)?.[1]
  if (!list) return <Text>Loading…</Text>
  if (selected) return <BundleDetail sid={selected} kind={kindOf(selected, list)} onChanged={() => setN(n + 1)} />
  return (
    <Stack maw={1100}>
      <Title order={2}>Profiles and trust products</Title>
      {note && <Alert color="gray">{note}</Alert>}
      {(['CustomerProfiles', 'TrustProducts'] as const).map((k) => (
        <Card withBorder key={k}>
          <Title order={3} size="h4" mb="xs">
            {k === 'CustomerProfiles' ? 'Business profiles' : 'Trust products'}
          </Title>
          {list[k].length === 0 ? (
            <Text c="dimmed">None yet.</Text>
          ) : (
            <Table.ScrollContainer minWidth={500}>
              <Table aria-label={k === 'CustomerProfiles' ? 'Business profiles' : 'Trust products'}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Name</Table.Th>
                    <Table.Th>Status</Table.Th>
                    <Table.Th>Updated</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {list[k].map((b) => (
                    <Table.Tr key={b.sid}>
                      <Table.Td>
                        <Anchor
                          href={`/console/bundles/${b.sid}`}
                          onClick={(e) => {
                            e.preventDefault()
                            navigate(`/bundles/${b.sid}`)
                          }}
                        >
                          {b.friendly_name}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>
                        <Badge color={STATUS_COLOR[b.status] ?? 'gray'}>{STATUS_WORDS[b.status] ?? b.status}</Badge>
                      </Table.Td>
                      <Table.Td>{b.date_updated}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </Card>
      ))}
    </Stack>
  )
}

const STEP_OF_TYPE: Record<string, StepKey> = {
  customer_profile_business_information: 'business',
  authorized_representative_1: 'rep',
}

function BundleDetail({ sid, kind, onChanged }: { sid: string; kind: Kind; onChanged: () => void }) {
  const [b, setB] = useState<any>()
  const [evals, setEvals] = useState<any[]>([])
  const [events, setEvents] = useState<any[]>([])
  const [users, setUsers] = useState<any[]>([])
  const [errors, setErrors] = useState<FieldErrors>({})
  const [msg, setMsg] = useState('')
  const [n, setN] = useState(0)
  useEffect(() => {
    api('GET', `/v1/${kind}/${sid}`)
      .then(setB)
      .catch((e) => setMsg((e as Error).message))
    api('GET', `/v1/${kind}/${sid}/Evaluations`)
      .then((r) => setEvals(r.results ?? []))
      .catch(() => setEvals([]))
    api('GET', '/v1/Events', { query: { ResourceSid: sid, PageSize: '200' } })
      .then((r) => setEvents(r.results ?? []))
      .catch(() => setEvents([]))
    api('GET', `/v1/${kind}/${sid}/EntityAssignments`)
      .then(async (r) => {
        const sids = (r.results as any[]).map((a) => a.object_sid).filter((s: string) => s.startsWith('IT'))
        setUsers(await Promise.all(sids.map((s: string) => api('GET', `/v1/EndUsers/${s}`))))
      })
      .catch(() => setUsers([]))
  }, [sid, kind, n])
  if (!b) return msg ? <Alert color="red">{msg}</Alert> : <Text>Loading…</Text>
  // The latest decision's reason, from the bundle's audit events (status-change data).
  const reasonText = String(
    [...events].reverse().find((e) => e.data?.to === 'twilio-rejected')?.data?.failure_reason ?? '',
  )
  const editable = b.status === 'twilio-rejected' || b.status === 'draft'
  const edit = (u: any) => (name: string, value: string) =>
    setUsers((xs) => xs.map((x) => (x.sid === u.sid ? { ...x, attributes: { ...x.attributes, [name]: value } } : x)))
  const resubmit = async () => {
    setMsg('')
    try {
      for (const u of users)
        await api('POST', `/v1/EndUsers/${u.sid}`, { form: { Attributes: JSON.stringify(u.attributes) } })
      const ev = await evaluateAndSubmit(kind, sid, b.policy_sid, () => {})
      if (ev.status !== 'compliant') {
        setErrors(evaluationErrors(ev))
        setMsg('Fix the fields marked below, then resubmit.')
        return
      }
      setMsg('Resubmitted for review.')
      setN(n + 1)
      onChanged()
    } catch (e) {
      setMsg((e as Error).message)
    }
  }
  const flat = (u: any): Record<string, string> =>
    Object.fromEntries(
      Object.entries(u.attributes ?? {}).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : String(v)]),
    )
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
      <Title order={2}>{b.friendly_name}</Title>
      <Badge size="lg" color={STATUS_COLOR[b.status] ?? 'gray'} data-testid="bundle-status">
        {STATUS_WORDS[b.status] ?? b.status}
      </Badge>
      {msg && (
        <Alert color={msg.startsWith('Resubmitted') ? 'green' : 'red'} role="status">
          {msg}
        </Alert>
      )}
      {b.errors?.length > 0 && (
        <Alert color="red" title="Why it was rejected" data-testid="rejection">
          <List>
            {b.errors.map((e: any) => (
              <List.Item key={e.code}>
                <b>{e.code}</b>: {explainRejection(e.code)}
              </List.Item>
            ))}
          </List>
          {reasonText && (
            <Text mt="xs" data-testid="rejection-reason">
              Reviewer's note: {reasonText}
            </Text>
          )}
        </Alert>
      )}
      <Card withBorder>
        <Title order={3} size="h4" mb="xs">
          History
        </Title>
        {evals.length + events.length === 0 ? (
          <Text c="dimmed">Nothing yet.</Text>
        ) : (
          <List size="sm" data-testid="history">
            {[
              ...events.map((e) => ({
                at: String(e.date_created),
                text: `${e.type.replace(/[._]/g, ' ')}${e.data?.to ? ` → ${e.data.to}` : ''}${e.actor ? ` by ${e.actor}` : ''}`,
              })),
              ...evals.map((e) => ({ at: String(e.date_created), text: `evaluation: ${e.status}` })),
            ]
              .sort((x, y) => Date.parse(x.at) - Date.parse(y.at))
              .map((h, i) => (
                <List.Item key={i}>
                  {h.at}: {h.text}
                </List.Item>
              ))}
          </List>
        )}
      </Card>
      {users.map((u) => (
        <Card withBorder key={u.sid}>
          <Title order={3} size="h4" mb="xs">
            {u.friendly_name}{' '}
            <Text span size="xs" c="dimmed">
              ({u.type})
            </Text>
          </Title>
          {STEP_OF_TYPE[u.type] && editable ? (
            <StepFields
              step={STEP_OF_TYPE[u.type]!}
              values={flat(u)}
              errors={errors[STEP_OF_TYPE[u.type]!] ?? {}}
              onChange={edit(u)}
              idPrefix={`edit-${u.sid.slice(-6)}`}
            />
          ) : (
            <List size="sm">
              {Object.entries(flat(u)).map(([k, v]) => (
                <List.Item key={k}>
                  {k}: {v}
                </List.Item>
              ))}
            </List>
          )}
        </Card>
      ))}
      {editable && (
        <Button onClick={resubmit} w="fit-content">
          {b.status === 'draft' ? 'Submit for review' : 'Save changes and resubmit'}
        </Button>
      )}
    </Stack>
  )
}
