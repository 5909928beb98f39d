/**
 * Profiles and trust products: the list (names, kinds and statuses in words, local dates), and
 * each one's page (BundleDetail) at /bundles/<SID>.
 */
import { useEffect, useState } from 'react'
import { Alert, Badge, Card, Stack, Table, Text, Title } from '@mantine/core'
import { api, isMissingRoute, type AccountSession } from '../api'
import { localDate, STATUS_COLOR, STATUS_WORDS } from '../words'
import { kindInWords, type Kind } from '../bundle-facts'
import { BundleLink } from '../components/BundleHistory'
import { BundleDetail } from './BundleDetail'
import type { Listed } from '../bundle-page'

interface Row extends Listed {
  readonly valid_until: string | null
  readonly date_updated: string
  /** For an edited copy: the approved bundle it edits. */
  readonly copyOf?: string
}

async function loadList(): Promise<Row[]> {
  const kinds: Kind[] = ['CustomerProfiles', 'TrustProducts']
  const rows = (
    await Promise.all(
      kinds.map((k) =>
        api('GET', `/v1/${k}`, { query: { PageSize: '200' } }).then((r) =>
          (r.results as any[]).map((b) => ({ ...b, kind: k }) as Row),
        ),
      ),
    )
  ).flat()
  // Copies are bundles too: name each after the approved one it edits.
  const copyOf: Record<string, string> = {}
  await Promise.all(
    rows
      .filter((b) => b.status === 'twilio-approved')
      .map(async (b) => {
        const r = await api('GET', `/v1/${b.kind}/${b.sid}/Copies`, { query: { PageSize: '20' } })
        for (const c of r.results as any[]) copyOf[c.sid] = b.sid
      }),
  )
  return rows.map((b) => (copyOf[b.sid] ? { ...b, copyOf: copyOf[b.sid] } : b))
}

export function Bundles({ path }: { session: AccountSession; path: string }) {
  const [list, setList] = useState<Row[] | undefined>()
  const [note, setNote] = useState('')
  const selected = /^\/bundles\/(BU[0-9a-f]{32})/.exec(path)?.[1]
  useEffect(() => {
    loadList()
      .then(setList)
      .catch((e) => {
        setNote(
          isMissingRoute(e)
            ? 'Profiles and trust products are not available on this server yet.'
            : (e as Error).message,
        )
        setList([])
      })
    // Reloaded on every page change: a copy made on a detail page shows up in the list.
  }, [selected])
  if (!list) return <Text>Loading…</Text>
  if (selected) {
    const kind = list.find((b) => b.sid === selected)?.kind
    return <BundleDetail key={selected} sid={selected} kind={kind} list={list} />
  }
  const nameOf = (sid: string) => list.find((b) => b.sid === sid)?.friendly_name ?? 'another bundle'
  const groups: [Kind, string][] = [
    ['CustomerProfiles', 'Business profiles'],
    ['TrustProducts', 'Trust products'],
  ]
  return (
    <Stack maw={1100}>
      <Title order={2}>Profiles and trust products</Title>
      {note && <Alert color="gray">{note}</Alert>}
      {groups.map(([k, title]) => {
        const rows = list.filter((b) => b.kind === k)
        return (
          <Card withBorder key={k}>
            <Title order={3} size="h4" mb="xs">
              {title}
            </Title>
            {rows.length === 0 ? (
              <Text c="dimmed">None yet.</Text>
            ) : (
              <Table.ScrollContainer minWidth={620}>
                <Table aria-label={title}>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Name</Table.Th>
                      <Table.Th>Kind</Table.Th>
                      <Table.Th>Status</Table.Th>
                      <Table.Th>Valid until</Table.Th>
                      <Table.Th>Updated</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {rows.map((b) => (
                      <Table.Tr key={b.sid}>
                        <Table.Td>
                          <BundleLink sid={b.sid}>{b.friendly_name}</BundleLink>
                          {b.copyOf && (
                            <Text size="xs" c="dimmed">
                              Edited copy of {nameOf(b.copyOf)}
                            </Text>
                          )}
                        </Table.Td>
                        <Table.Td>{kindInWords(b.kind, b.policy_sid)}</Table.Td>
                        <Table.Td>
                          <Badge color={STATUS_COLOR[b.status] ?? 'gray'}>{STATUS_WORDS[b.status] ?? b.status}</Badge>
                        </Table.Td>
                        <Table.Td>{localDate(b.valid_until) || '—'}</Table.Td>
                        <Table.Td>{localDate(b.date_updated)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )}
          </Card>
        )
      })}
    </Stack>
  )
}
