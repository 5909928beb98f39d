/**
 * Branded Calls and CNAM products (docs/branding.md): the customer picks the approved
 * SHAKEN/STIR trust product whose numbers to brand, writes the name (and for Branded Calls a
 * logo URL and call reasons), sees the call on a phone as it types, saves a draft to run the
 * automated checks (the server fetches the logo, which the preview then shows), and submits;
 * the account's branding products are listed above the form with their status.
 */
import { useEffect, useState } from 'react'
import {
  Alert,
  Badge,
  Button,
  Card,
  Grid,
  Group,
  List,
  SegmentedControl,
  Select,
  Stack,
  TagsInput,
  Text,
  TextInput,
  Title,
} from '@mantine/core'
import { api, ApiError, type AccountSession } from '../api'
import { POLICY } from '../../../src/domain/policy-sids'
import { cnamProblem, displayTextProblem } from '../../../src/domain/brand-names'
import { PhonePreview } from '../components/branding/PhonePreview'
import type { BrandView } from '../components/review/BrandFacts'
import { CHECK_LABEL } from '../components/review/labels'
import { STATUS_COLOR, STATUS_SHORT } from '../words'

type Kind = 'branded_calls' | 'cnam'
interface Check {
  name: string
  passed: boolean
  evidence: string
}
interface Shaken {
  sid: string
  friendly_name: string
}

interface Product extends Shaken {
  policy_sid: string
  status: string
}

/** The account's trust products: the approved SHAKEN/STIR ones a brand rests on, and its branding products. */
function useTrustProducts() {
  const [list, setList] = useState<Product[] | undefined>()
  useEffect(() => {
    api('GET', '/v1/TrustProducts', { query: { PageSize: '200' } })
      .then((r) => setList(r.results as Product[]))
      .catch(() => setList([]))
  }, [])
  return {
    shakens: list?.filter((b) => b.policy_sid === POLICY.SHAKEN_STIR && b.status === 'twilio-approved'),
    branding: list?.filter((b) => b.policy_sid === POLICY.BRANDED_CALLS || b.policy_sid === POLICY.CNAM) ?? [],
  }
}

/** What the product's end user holds, as the API wants its Attributes. */
function attributesOf(kind: Kind, name: string, logo: string, reasons: string[], dba: string[]) {
  const trades = dba.length ? { doing_business_as: dba } : {}
  if (kind === 'cnam') return { cnam_display_name: name, ...trades }
  return {
    ...trades,
    branded_calls_display_name: name,
    ...(logo.trim() ? { branded_calls_logo_url: logo.trim() } : {}),
    ...(reasons.length ? { branded_calls_call_reason: reasons } : {}),
  }
}

/** Creates the draft product with its end user, profile, SHAKEN/STIR product and numbers; returns its SIDs. */
async function createDraft(kind: Kind, shaken: string, email: string, attributes: object) {
  const links = (await api('GET', `/v1/TrustProducts/${shaken}/EntityAssignments`, { query: { PageSize: '50' } }))
    .results as any[]
  const profile = links.map((l) => l.object_sid as string).find((o) => o.startsWith('BU'))
  const numbers = (
    await api('GET', `/v1/TrustProducts/${shaken}/ChannelEndpointAssignments`, { query: { PageSize: '200' } })
  ).results as any[]
  const bundle = await api('POST', '/v1/TrustProducts', {
    form: {
      FriendlyName: kind === 'cnam' ? 'CNAM caller name' : 'Branded calls',
      Email: email,
      PolicySid: kind === 'cnam' ? POLICY.CNAM : POLICY.BRANDED_CALLS,
    },
  })
  const eu = await api('POST', '/v1/EndUsers', {
    form: {
      FriendlyName: kind === 'cnam' ? 'CNAM information' : 'Branded calls information',
      Type: kind === 'cnam' ? 'cnam_information' : 'branded_calls_information',
      Attributes: JSON.stringify(attributes),
    },
  })
  for (const o of [profile, shaken, eu.sid].filter(Boolean))
    await api('POST', `/v1/TrustProducts/${bundle.sid}/EntityAssignments`, { form: { ObjectSid: o } })
  for (const n of numbers)
    await api('POST', `/v1/TrustProducts/${bundle.sid}/ChannelEndpointAssignments`, {
      form: { ChannelEndpointType: 'phone-number', ChannelEndpointSid: n.channel_endpoint_sid },
    })
  return { bundle: bundle.sid as string, endUser: eu.sid as string }
}

export function Branding(_: { session: AccountSession }) {
  const { shakens, branding } = useTrustProducts()
  const [kind, setKind] = useState<Kind>('branded_calls')
  const [shaken, setShaken] = useState<string | null>(null)
  const [email, setEmail] = useState('')
  const [name, setName] = useState('')
  const [logo, setLogo] = useState('')
  const [reasons, setReasons] = useState<string[]>([])
  const [dba, setDba] = useState<string[]>([])
  const [draft, setDraft] = useState<{ bundle: string; endUser: string } | undefined>()
  const [checks, setChecks] = useState<Check[] | undefined>()
  const [brand, setBrand] = useState<BrandView | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState('')
  const [done, setDone] = useState('')
  const problem = name ? (kind === 'cnam' ? cnamProblem(name) : displayTextProblem(name, 35)) : null
  const logoData =
    brand?.logo && 'data_uri' in brand.logo && brand.logo_url === logo.trim() ? brand.logo.data_uri : null

  const run = async (what: () => Promise<void>) => {
    setBusy(true)
    setError('')
    setDone('')
    try {
      await what()
    } catch (e) {
      setError(e instanceof ApiError || e instanceof Error ? e.message : String(e))
    } finally {
      setBusy(false)
    }
  }
  const saveAndCheck = () =>
    run(async () => {
      const attributes = attributesOf(kind, name, logo, reasons, dba)
      let d = draft
      if (!d) {
        d = await createDraft(kind, shaken!, email, attributes)
        setDraft(d)
      } else await api('POST', `/v1/EndUsers/${d.endUser}`, { form: { Attributes: JSON.stringify(attributes) } })
      const r = await api('GET', `/v1/TrustProducts/${d.bundle}/Checks`)
      setChecks(r.checks)
      setBrand(r.brand)
    })
  const submit = () =>
    run(async () => {
      await api('POST', `/v1/TrustProducts/${draft!.bundle}`, { form: { Status: 'pending-review' } })
      setDone('Submitted for review. The reviewers see the same checks; you are told of their decision by email.')
    })

  return (
    <Stack maw={1100}>
      <Title order={2}>Branded calling</Title>
      <Text size="sm">
        Show your business name, logo and the reason for the call on the phones you call (Branded Calls), or your caller
        name on landlines (CNAM). Both rest on an approved SHAKEN/STIR trust product: its numbers are branded.
      </Text>
      {branding.length > 0 && (
        <Card withBorder>
          <Title order={3} size="h5" mb="xs">
            Your branding products
          </Title>
          <List size="sm" spacing={4} aria-label="Your branding products">
            {branding.map((b) => (
              <List.Item key={b.sid}>
                <Group gap="xs">
                  <Text size="sm" fw={600}>
                    {b.friendly_name}
                  </Text>
                  <Text size="sm">{b.policy_sid === POLICY.CNAM ? 'CNAM' : 'Branded Calls'}</Text>
                  <Badge size="sm" variant="light" color={STATUS_COLOR[b.status] ?? 'gray'}>
                    {STATUS_SHORT[b.status] ?? b.status}
                  </Badge>
                </Group>
              </List.Item>
            ))}
          </List>
        </Card>
      )}
      {shakens && shakens.length === 0 && (
        <Alert color="yellow">Get a SHAKEN/STIR trust product approved first: branding rests on it.</Alert>
      )}
      <Grid>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Card withBorder component="form" aria-label="Branding product" onSubmit={(e) => e.preventDefault()}>
            <Stack gap="sm">
              <SegmentedControl
                aria-label="Product"
                value={kind}
                onChange={(v) => setKind(v as Kind)}
                disabled={!!draft}
                data={[
                  { value: 'branded_calls', label: 'Branded Calls' },
                  { value: 'cnam', label: 'CNAM' },
                ]}
              />
              <Select
                label="SHAKEN/STIR trust product"
                description="Its numbers are the ones branded"
                data={(shakens ?? []).map((s) => ({ value: s.sid, label: s.friendly_name }))}
                value={shaken}
                onChange={setShaken}
                disabled={!!draft}
                required
              />
              <TextInput
                label="Notification email"
                type="email"
                value={email}
                onChange={(e) => setEmail(e.currentTarget.value)}
                disabled={!!draft}
                required
              />
              <TextInput
                label={kind === 'cnam' ? 'Caller name (CNAM)' : 'Display name'}
                description={
                  kind === 'cnam'
                    ? "At most 15 characters: letters, digits, space and . , & ' -, beginning with a letter"
                    : "Your business's legal name or a name it trades under, at most 35 characters"
                }
                value={name}
                onChange={(e) => setName(e.currentTarget.value)}
                error={problem ?? undefined}
                required
              />
              <TagsInput
                label="Doing business as (DBA)"
                description="Other names the business trades under, if the name above is one of them (the reviewer confirms it)"
                placeholder="e.g. Acme Pharmacy"
                value={dba}
                onChange={setDba}
              />
              {kind === 'branded_calls' && (
                <>
                  <TextInput
                    label="Logo URL"
                    description="https URL of a square PNG, JPEG or SVG logo, at least 64 px, at most 1 MB"
                    value={logo}
                    onChange={(e) => setLogo(e.currentTarget.value)}
                  />
                  <TagsInput
                    label="Call reasons"
                    description="The reasons your calls may show, at most 64 characters each (press Enter after each)"
                    placeholder="e.g. Appointment reminder"
                    value={reasons}
                    onChange={setReasons}
                  />
                </>
              )}
              {error && (
                <Alert color="red" role="alert" title="Not done">
                  {error}
                </Alert>
              )}
              {done && (
                <Alert color="green" role="status" title="Submitted">
                  {done}
                </Alert>
              )}
              <Group>
                <Button onClick={saveAndCheck} disabled={busy || !shaken || !email || !name || !!problem || !!done}>
                  {draft ? 'Save and check again' : 'Save draft and run the checks'}
                </Button>
                <Button color="green.8" onClick={submit} disabled={busy || !draft || !checks || !!done}>
                  Submit for review
                </Button>
              </Group>
              {checks && (
                <Stack gap={4}>
                  <Title order={3} size="h5">
                    Checks before submission
                  </Title>
                  <List size="sm" aria-label="Checks before submission" spacing={2}>
                    {checks.map((c) => (
                      <List.Item key={c.name} c={c.passed ? undefined : 'red.9'}>
                        <Text span fw={600} size="sm">
                          {c.passed ? 'Passed' : 'Failed'}: {CHECK_LABEL[c.name] ?? c.name}
                        </Text>
                        {' — '}
                        <Text span size="xs" style={{ wordBreak: 'break-word' }}>
                          {c.evidence}
                        </Text>
                      </List.Item>
                    ))}
                  </List>
                </Stack>
              )}
            </Stack>
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack align="center">
            <Title order={3} size="h5">
              On the phone
            </Title>
            <PhonePreview kind={kind} name={name} logo={logoData} reason={reasons[0]} />
            {kind === 'branded_calls' && logo.trim() && !logoData && (
              <Text size="xs" ta="center">
                The logo appears once the checks have fetched it.
              </Text>
            )}
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  )
}
