/**
 * A traceback answer laid out for a person: who placed the call, the business and its contacts,
 * the number's right to use and why it got its level, with the JSON and text exports.
 */
import type { ReactNode } from 'react'
import { Alert, Badge, Button, Card, Group, List, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core'
import { ORIGIN_WORDS, personLine, postalLine, summaryText, type Traced, type TracebackAnswer } from '../traceback'

/** Saves `text` as a file the browser downloads. */
function download(name: string, type: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type }))
  const a = document.createElement('a')
  a.href = url
  a.download = name
  a.click()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

/** A label and its value, one fact a line. */
function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
      <Text span fw={600}>
        {label}:
      </Text>{' '}
      {children}
    </Text>
  )
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Card withBorder component="section" aria-label={title}>
      <Title order={3} size="h4" mb="xs">
        {title}
      </Title>
      <Stack gap={4}>{children}</Stack>
    </Card>
  )
}

const LEVEL_COLOR: Record<string, string> = { A: 'green', B: 'yellow', C: 'orange' }

function WhoPlacedIt({ t }: { t: Traced }) {
  const a = t.account
  return (
    <Section title="Who placed the call">
      {a ? (
        <Fact label="Account">
          {a.friendly_name} ({a.sid}, {a.status})
        </Fact>
      ) : (
        <Text size="sm">No account of this platform has this origid.</Text>
      )}
      {t.parent_account && (
        <Fact label="Parent account">
          {t.parent_account.friendly_name} ({t.parent_account.sid}, {t.parent_account.status})
        </Fact>
      )}
      {t.calls.length > 0 && (
        <Table.ScrollContainer minWidth={520}>
          <Table aria-label="Call records" verticalSpacing={4} fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Signed at</Table.Th>
                <Table.Th>From</Table.Th>
                <Table.Th>To</Table.Th>
                <Table.Th>Level</Table.Th>
                <Table.Th>Via</Table.Th>
                <Table.Th>Record</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {t.calls.map((c) => (
                <Table.Tr key={c.sid}>
                  <Table.Td>{new Date(c.date_created).toLocaleString()}</Table.Td>
                  <Table.Td>{c.from}</Table.Td>
                  <Table.Td>{c.to.join(', ')}</Table.Td>
                  <Table.Td>{c.attest ?? '—'}</Table.Td>
                  <Table.Td>{c.transport}</Table.Td>
                  <Table.Td ff="monospace" fz="xs">
                    {c.sid}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Section>
  )
}

function Business({ t }: { t: Traced }) {
  const p = t.business_profile
  return (
    <Section title="The business">
      {p ? (
        <>
          <Text fw={700} size="lg">
            {p.legal_name ?? '(no legal name on the profile)'}
          </Text>
          <Fact label="Registration">
            {[p.registration_type, p.registration_number].filter(Boolean).join(' ') || '—'}
          </Fact>
          {p.addresses.map((a) => (
            <Fact key={a.sid} label="Address">
              {postalLine(a)}
            </Fact>
          ))}
          {p.authorized_representatives.map((r, i) => (
            <Fact key={i} label="Authorized representative">
              {personLine(r)}
            </Fact>
          ))}
          <Fact label="Contact email">{p.contact_email}</Fact>
          <Fact label="Business profile">
            {p.sid} ({p.status}, valid until {p.valid_until ? new Date(p.valid_until).toLocaleDateString() : '—'})
          </Fact>
        </>
      ) : (
        <Text size="sm">No business profile held the decision.</Text>
      )}
    </Section>
  )
}

function RightToUse({ t }: { t: Traced }) {
  const n = t.number
  if (!n) return null
  const o = n.hosted_number_order
  const origin = n.origin_as_recorded
  return (
    <Section title="The number's right to use">
      <Fact label="Calling number">{n.phone_number}</Fact>
      <Fact label="When signed">{origin ? (ORIGIN_WORDS[origin] ?? origin) : 'no origin recorded'}</Fact>
      <Fact label="Now">
        {n.held
          ? `held by ${n.held.account_sid}, ${ORIGIN_WORDS[n.held.origin] ?? n.held.origin}`
          : 'held by no account'}
      </Fact>
      {o && (
        <>
          <Fact label="Letter of authorization">
            order {o.sid} ({o.status}), signed by{' '}
            {[o.contact_name, o.contact_title, o.email].filter(Boolean).join(', ')}
          </Fact>
          <Fact label="Previous carrier">
            {[o.current_carrier, o.carrier_account_number && `account ${o.carrier_account_number}`]
              .filter(Boolean)
              .join(', ') || '—'}
          </Fact>
          {n.loa_address && <Fact label="LOA address">{postalLine(n.loa_address)}</Fact>}
          {n.authorization_document && (
            <Fact label="Authorization document">
              {n.authorization_document.sid} ({n.authorization_document.status})
            </Fact>
          )}
        </>
      )}
    </Section>
  )
}

function Why({ t }: { t: Traced }) {
  const d = t.decision
  const tp = t.trust_product
  return (
    <Section title="Why it got its level">
      {d ? (
        <>
          <Group gap="xs">
            <Badge size="lg" color={LEVEL_COLOR[d.attest ?? ''] ?? 'gray'}>
              {d.attest ? `Attestation ${d.attest}` : 'Not signed'}
            </Badge>
            <Text size="sm">{d.rule}</Text>
          </Group>
          <List size="sm" spacing={2}>
            {d.reasons.map((r, i) => (
              <List.Item key={i}>{r}</List.Item>
            ))}
          </List>
        </>
      ) : (
        <Text size="sm">No decision on record.</Text>
      )}
      {tp && (
        <Fact label="Trust product">
          {tp.sid} ({tp.status}, valid until {tp.valid_until ? new Date(tp.valid_until).toLocaleDateString() : '—'})
        </Fact>
      )}
      {t.signature && (
        <Fact label="Signed with">
          certificate {t.signature.certificate_sid} ({t.signature.certificate_status}), SPC {t.signature.spc ?? '—'}
        </Fact>
      )}
    </Section>
  )
}

export function TracebackAnswerView({ t, asked }: { t: TracebackAnswer; asked: string }) {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-')
  const exports = (
    <Group gap="xs">
      <Button
        variant="default"
        size="xs"
        onClick={() => download(`traceback-${stamp}.json`, 'application/json', JSON.stringify(t, null, 2))}
      >
        Export JSON
      </Button>
      <Button
        variant="default"
        size="xs"
        onClick={() => download(`traceback-${stamp}.txt`, 'text/plain', summaryText(t, asked))}
      >
        Export text summary
      </Button>
    </Group>
  )
  if (t.signed_by_this_platform === false)
    return (
      <Stack>
        <Alert color="red" title="Not signed by this platform" role="status">
          {t.reason}
        </Alert>
        {exports}
      </Stack>
    )
  return (
    <Stack>
      {t.note && (
        <Alert color="yellow" title="No call record" role="status">
          {t.note}
        </Alert>
      )}
      {t.found && (
        <Alert color="green" title={t.signature ? 'Signed by this platform' : 'Call found'} role="status">
          {t.calls.length === 1 ? 'One call record matches.' : `${t.calls.length} call records match.`}
        </Alert>
      )}
      {exports}
      <WhoPlacedIt t={t} />
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Business t={t} />
        <Why t={t} />
      </SimpleGrid>
      <RightToUse t={t} />
    </Stack>
  )
}
