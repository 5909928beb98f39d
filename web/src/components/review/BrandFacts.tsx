/**
 * A branding product under review: the logo as fetched now (image, type, size, digest), the
 * name against the legal name (normalised, with the edit distance) and the brand pinned at
 * approval. From the review detail's `brand` (src/vetting/brand-view.ts).
 */
import { Code, Group, Image, Stack, Table, Text, Title } from '@mantine/core'
import { PhonePreview } from '../branding/PhonePreview'

export interface BrandView {
  kind: 'branded_calls' | 'cnam'
  display_name: string | null
  call_reasons: string[]
  doing_business_as: string[]
  legal_name: string | null
  comparison: { normalised_name: string; normalised_legal_name: string; distance: number } | null
  logo_url: string | null
  logo:
    | { error: string }
    | {
        type: string | null
        width: number | null
        height: number | null
        bytes: number
        digest: string
        problems: string[]
        data_uri: string | null
      }
    | null
  pinned: {
    display_name: string
    logo_url: string | null
    logo_digest: string | null
    call_reasons: string[]
    approved_at: string
  } | null
}

function Row({ k, children }: { k: string; children: React.ReactNode }) {
  return (
    <Table.Tr>
      <Table.Th scope="row" w="38%" fw={500}>
        {k}
      </Table.Th>
      <Table.Td style={{ wordBreak: 'break-all' }}>{children}</Table.Td>
    </Table.Tr>
  )
}

export function BrandFacts({ brand: b }: { brand: BrandView }) {
  const logo = b.logo && 'digest' in b.logo ? b.logo : null
  return (
    <Stack gap={4} mt="sm" data-testid="brand-facts">
      <Title order={4} size="h5">
        {b.kind === 'cnam' ? 'CNAM caller name' : 'Branded calls'}
      </Title>
      <Group align="flex-start" wrap="wrap">
        <PhonePreview kind={b.kind} name={b.display_name ?? ''} logo={logo?.data_uri} reason={b.call_reasons[0]} />
        {logo?.data_uri && (
          <Image
            src={logo.data_uri}
            alt={`Logo of ${b.display_name ?? 'the brand'} as fetched`}
            w={96}
            h={96}
            fit="contain"
          />
        )}
      </Group>
      <Table aria-label="Brand facts" withRowBorders={false} verticalSpacing={2} layout="fixed">
        <Table.Tbody>
          <Row k="Name">{b.display_name}</Row>
          <Row k="Legal name">{b.legal_name ?? '—'}</Row>
          {b.comparison && (
            <Row k="Compared">
              <span data-testid="name-comparison">
                “{b.comparison.normalised_name}” vs “{b.comparison.normalised_legal_name}”: distance{' '}
                {b.comparison.distance}
              </span>
            </Row>
          )}
          {b.doing_business_as.length > 0 && <Row k="DBA">{b.doing_business_as.join(', ')}</Row>}
          {b.kind === 'branded_calls' && <Row k="Call reasons">{b.call_reasons.join(', ') || 'none'}</Row>}
          {b.kind === 'branded_calls' && <Row k="Logo URL">{b.logo_url ?? 'none'}</Row>}
          {b.logo && 'error' in b.logo && <Row k="Logo">not fetched: {b.logo.error}</Row>}
          {logo && (
            <Row k="Logo">
              {(logo.type ?? 'unknown').toUpperCase()} {logo.width ?? '?'}×{logo.height ?? '?'} px, {logo.bytes} bytes
              {logo.problems.length > 0 && (
                <Text c="red.9" size="sm">
                  {logo.problems.join('; ')}
                </Text>
              )}
            </Row>
          )}
          {logo && (
            <Row k="Logo digest">
              <Code data-testid="logo-digest">{logo.digest}</Code>
            </Row>
          )}
          {b.pinned && (
            <Row k="Pinned at approval">
              {b.pinned.display_name}
              {b.pinned.logo_digest && (
                <>
                  {' · '}
                  <Code>{b.pinned.logo_digest}</Code>
                </>
              )}
            </Row>
          )}
        </Table.Tbody>
      </Table>
    </Stack>
  )
}
