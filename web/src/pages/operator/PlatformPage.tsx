/** The operator's platform panel: the signing certificate, the ES256 backend, and every trusted STI-CA root. */
import { Card, Stack, Table, Text, Title } from '@mantine/core'
import { PlatformSummary, usePlatform } from '../../components/Platform'
import { LoadError, localDate } from './common'

export function PlatformPage() {
  const { platform: p, error } = usePlatform()
  return (
    <Stack maw={1100}>
      <Title order={2}>Platform</Title>
      <LoadError error={error} what="The platform panel" />
      {p && <PlatformSummary p={p} title="Signing and verification" />}
      {p && (
        <Card withBorder>
          <Title order={3} size="h4" mb="xs">
            Trusted STI-CA roots
          </Title>
          <Table.ScrollContainer minWidth={560}>
            <Table aria-label="Trusted STI-CA roots" verticalSpacing="xs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Subject</Table.Th>
                  <Table.Th>Expires</Table.Th>
                  <Table.Th>SHA-256 fingerprint</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {p.trust_anchors.map((a) => (
                  <Table.Tr key={a.sha256}>
                    <Table.Td>{a.subject}</Table.Td>
                    <Table.Td>{localDate(a.not_after)}</Table.Td>
                    <Table.Td ff="monospace" fz="xs" style={{ overflowWrap: 'anywhere' }}>
                      {a.sha256}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {p.trust_anchors.length === 0 && <Text c="dimmed">None: calls from other carriers fail verification.</Text>}
        </Card>
      )}
    </Stack>
  )
}
