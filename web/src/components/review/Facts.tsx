/**
 * What a review is about, as labelled fields: end users, supporting documents, addresses, a
 * trust product's linked profile and numbers, what changed since the approved or decided
 * version, and a hosted-number order's letter of authorization.
 */
import { Anchor, Badge, Stack, Table, Text, Title } from '@mantine/core'
import { STATUS_COLOR } from '../../words'
import { fieldLabel, humanValue, KIND_LABEL, localTime, REVIEW_STATUS, TYPE_LABEL } from './labels'

type Row = readonly [label: string, value: React.ReactNode]

/** A two-column table of labelled values, named for screen readers. */
export function Fields({ name, rows }: { name: string; rows: readonly Row[] }) {
  return (
    <Table aria-label={name} withRowBorders={false} verticalSpacing={2} layout="fixed">
      <Table.Tbody>
        {rows.map(([k, v]) => (
          <Table.Tr key={k}>
            <Table.Th scope="row" w="40%" fw={500}>
              {k}
            </Table.Th>
            <Table.Td style={{ overflowWrap: 'anywhere' }}>{v}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  )
}

const Section = ({ title, children }: { title: string; children: React.ReactNode }) => (
  <Stack gap={4} mt="sm">
    <Title order={4} size="h5">
      {title}
    </Title>
    {children}
  </Stack>
)

interface Obj {
  sid: string
  type: string
  friendly_name: string
  attributes: Record<string, unknown>
}

/** Attributes as rows; document attributes naming addresses read as the addresses' lines. */
const attributeRows = (o: Obj, addresses: any[]): Row[] =>
  Object.entries(o.attributes).map(([k, v]) => [
    fieldLabel(k),
    k === 'address_sids'
      ? [v]
          .flat()
          .map((sid) => {
            const a = addresses.find((x) => x.sid === sid)
            return a ? addressLine(a) : String(sid)
          })
          .join('; ')
      : humanValue(v),
  ])

const addressLine = (a: any) =>
  a
    ? `${[a.street, a.street_secondary].filter(Boolean).join(' ')}, ${a.city}, ${a.region} ${a.postal_code}, ${a.iso_country}`
    : '—'

/** End users, supporting documents and addresses of a bundle. */
export function Attached({ r }: { r: any }) {
  const objects = (title: string, list: Obj[] | undefined) =>
    list?.length ? (
      <Section title={title}>
        {list.map((o) => (
          <Stack gap={0} key={o.sid}>
            <Text size="sm" fw={600}>
              {TYPE_LABEL[o.type] ?? humanValue(o.type)}
            </Text>
            <Fields
              name={`${TYPE_LABEL[o.type] ?? o.type}: ${o.friendly_name}`}
              rows={[[fieldLabel('friendly_name'), o.friendly_name], ...attributeRows(o, r.addresses ?? [])]}
            />
          </Stack>
        ))}
      </Section>
    ) : null
  return (
    <>
      {objects('End users', r.end_users)}
      {objects('Supporting documents', r.supporting_documents)}
      {r.addresses?.length ? (
        <Section title="Addresses">
          {r.addresses.map((a: any, i: number) => (
            <Fields
              key={a.sid}
              name={`Address ${i + 1}`}
              rows={(['customer_name', 'street', 'city', 'region', 'postal_code', 'iso_country'] as const).map((k) => [
                fieldLabel(k),
                humanValue(a[k]),
              ])}
            />
          ))}
        </Section>
      ) : null}
    </>
  )
}

/** A trust product's (or secondary profile's) supporting bundles, each opening its own review. */
export function Linked({ r, onOpen }: { r: any; onOpen: (sid: string) => void }) {
  const linked: any[] = r.linked_bundles ?? []
  if (!linked.length) return null
  return (
    <Section title={r.kind === 'trust-product' ? 'Business profile' : 'Supporting profiles'}>
      {linked.map((b) => (
        <Fields
          key={b.sid}
          name={`Linked ${KIND_LABEL[b.kind] ?? 'bundle'}`}
          rows={[
            [
              'Name',
              <Anchor
                component="button"
                type="button"
                onClick={() => onOpen(b.sid)}
                aria-label={`Open the review of ${b.friendly_name}`}
              >
                {b.friendly_name}
              </Anchor>,
            ],
            ['Kind', KIND_LABEL[b.kind] ?? b.kind],
            [
              'Status',
              <Badge color={STATUS_COLOR[b.status] ?? 'gray'} data-testid="linked-status">
                {REVIEW_STATUS[b.status] ?? b.status}
              </Badge>,
            ],
            ['Approved until', localTime(b.valid_until)],
          ]}
        />
      ))}
    </Section>
  )
}

/** The bundle's phone numbers. */
export function Numbers({ r }: { r: any }) {
  const list: any[] = r.phone_numbers ?? []
  if (r.kind !== 'trust-product' && !list.length) return null
  return (
    <Section title="Phone numbers">
      {list.length ? (
        <Fields
          name="Phone numbers"
          rows={list.map((n) => [n.phone_number, `${n.friendly_name || '—'} · ${humanValue(n.origin)}`] as const)}
        />
      ) : (
        <Text size="sm" c="dimmed">
          No numbers assigned.
        </Text>
      )}
    </Section>
  )
}

interface Change {
  object: string
  type: string
  field: string
  before: unknown
  after: unknown
}

function ChangeTable({ name, changes }: { name: string; changes: Change[] | null }) {
  if (changes === null)
    return (
      <Text size="sm" c="dimmed">
        The earlier version was not kept.
      </Text>
    )
  if (!changes.length)
    return (
      <Text size="sm" c="dimmed">
        No field changed.
      </Text>
    )
  return (
    <Table aria-label={name} striped layout="fixed" style={{ overflowWrap: 'anywhere' }}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Field</Table.Th>
          <Table.Th>Before</Table.Th>
          <Table.Th>After</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {changes.map((c, i) => (
          <Table.Tr key={i}>
            <Table.Td>
              {TYPE_LABEL[c.type] ?? humanValue(c.type)} · {fieldLabel(c.field)}
            </Table.Td>
            <Table.Td>{humanValue(c.before)}</Table.Td>
            <Table.Td>{humanValue(c.after)}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  )
}

/** A copy's changes since the approved original, and a resubmission's since the decided submission. */
export function Changes({ r, onOpen }: { r: any; onOpen: (sid: string) => void }) {
  return (
    <>
      {r.revision_of && (
        <Section title="Changes since the approved version">
          <Text size="sm">
            A copy of{' '}
            <Anchor component="button" type="button" onClick={() => onOpen(r.revision_of.sid)}>
              {r.revision_of.friendly_name ?? r.revision_of.sid}
            </Anchor>
            {r.revision_of.status ? ` (${REVIEW_STATUS[r.revision_of.status] ?? r.revision_of.status})` : ''}
          </Text>
          <ChangeTable name="Changes since the approved version" changes={r.changes} />
        </Section>
      )}
      {r.resubmission_of && (
        <Section title={`Changes since the ${REVIEW_STATUS[r.resubmission_of.status]?.toLowerCase()} version`}>
          <Text size="sm">
            Submission {r.resubmission_of.submission} was {REVIEW_STATUS[r.resubmission_of.status]?.toLowerCase()} on{' '}
            {localTime(r.resubmission_of.decided_at)}
            {r.resubmission_of.reason ? `: “${r.resubmission_of.reason}”` : ''}.
          </Text>
          <ChangeTable name="Changes since the decided version" changes={r.changes_since_decision} />
        </Section>
      )}
    </>
  )
}

/** A hosted-number order's number and letter of authorization, beside what the checks compare it with. */
export function OrderLoa({ r }: { r: any }) {
  const { order, address, profile } = r
  const rep = profile?.representative
  return (
    <Section title="Letter of authorization">
      <Fields
        name="Letter of authorization"
        rows={[
          ['Number', order.phone_number],
          ['Signed by', order.contact_name ?? '—'],
          ['Title', order.contact_title ?? '—'],
          ['Email', order.email],
          ['Phone', order.contact_phone_number ?? '—'],
          ['Address', addressLine(address)],
          ['Current carrier', order.current_carrier ?? '—'],
          ['Carrier account number', order.carrier_account_number ?? '—'],
          ['Filed', localTime(order.date_created)],
          [
            'Business profile',
            profile
              ? `${rep ? `${rep.first_name} ${rep.last_name} <${rep.email}>` : 'no representative'} · ${profile.addresses.map(addressLine).join('; ') || 'no address'}`
              : 'No approved primary business profile',
          ],
        ]}
      />
    </Section>
  )
}
