/**
 * "Inbound calls": who signs the calls verified here, at which level, and how often their
 * calls fail and why, over 24 hours (per hour) or 7, 30 or 90 days (per UTC day). The same
 * page for a customer (GET /stir/v1/calls/analytics: its numbers and its sub-accounts') and
 * for the operator (GET /admin/v1/calls/analytics: all inbound traffic).
 */
import { useEffect, useState } from 'react'
import {
  Alert,
  Button,
  Card,
  Group,
  List,
  Loader,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
  UnstyledButton,
  VisuallyHidden,
} from '@mantine/core'
import { api } from '../api'
import { bucketLabel, bucketTitle, LEVEL_COLORS, LEVEL_WORDS, LEVELS } from '../chart'
import {
  percent,
  signerName,
  sortSigners,
  topReasons,
  WINDOWS,
  type AnalyticsWindow,
  type CallAnalytics,
  type Signer,
  type SignerColumn,
} from '../analytics'
import { verifyReasonInWords } from '../words'
import { Legend, StackedBars } from './StackedBars'

const OUTCOMES = [
  { key: 'passed', color: '#2b8a3e', words: 'Passed' },
  { key: 'failed', color: '#c92a2a', words: 'Failed' },
] as const
const LEVEL_LAYERS = LEVELS.map((l) => ({ key: l, color: LEVEL_COLORS[l], words: LEVEL_WORDS[l] }))

/** The analytics of one window from `path`, fetched again when the window changes. */
function useAnalytics(path: string, window: AnalyticsWindow) {
  const [data, setData] = useState<CallAnalytics>()
  const [error, setError] = useState('')
  useEffect(() => {
    setData(undefined)
    setError('')
    api<CallAnalytics>('GET', path, { query: { window } })
      .then(setData)
      .catch((e) => setError((e as Error).message))
  }, [path, window])
  return { data, error }
}

export function InboundAnalytics({ path, intro }: { path: string; intro: string }) {
  const [window, setWindow] = useState<AnalyticsWindow>('7d')
  const { data, error } = useAnalytics(path, window)
  const words = WINDOWS.find(([w]) => w === window)![1]
  return (
    <Stack maw={1100}>
      <Title order={2}>Inbound calls</Title>
      <Text size="sm">{intro}</Text>
      <Group gap={4} role="group" aria-label="Period shown">
        {WINDOWS.map(([w, label]) => (
          <Button
            key={w}
            size="compact-sm"
            variant={w === window ? 'filled' : 'default'}
            aria-pressed={w === window}
            onClick={() => setWindow(w)}
          >
            {label}
          </Button>
        ))}
      </Group>
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      {!data && !error && <Loader aria-label="Loading" />}
      {data && <Report a={data} words={words} />}
    </Stack>
  )
}

function Report({ a, words }: { a: CallAnalytics; words: string }) {
  const passed = a.series.reduce((n, p) => n + p.passed, 0)
  const failed = a.series.reduce((n, p) => n + p.failed, 0)
  const summary = `${passed + failed} calls verified in the last ${words}: ${passed} passed, ${failed} failed.`
  const perWhat = a.bucket === 'hour' ? 'hour' : 'day'
  const xTitle = a.bucket === 'hour' ? 'Hour (your local time)' : 'Day (UTC)'
  const bars = <K extends string>(values: (p: CallAnalytics['series'][number]) => Record<K, number>) =>
    a.series.map((p) => ({
      key: p.t,
      label: bucketLabel(p.t, a.bucket),
      title: `${bucketTitle(p.t, a.bucket)}: ${Object.entries(values(p))
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
      values: values(p),
    }))
  const levels = Object.fromEntries(LEVELS.map((l) => [l, a.series.reduce((n, p) => n + p[l], 0)]))
  return (
    <>
      <Text data-testid="analytics-summary">{summary}</Text>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Card withBorder data-testid="outcome-chart">
          <Title order={3} size="h4" mb="xs">
            Passed and failed per {perWhat}
          </Title>
          <StackedBars
            testId="outcome-svg"
            summary={summary}
            xTitle={xTitle}
            layers={OUTCOMES}
            bars={bars((p) => ({ passed: p.passed, failed: p.failed }))}
          />
          <Legend layers={OUTCOMES} />
        </Card>
        <Card withBorder data-testid="level-chart">
          <Title order={3} size="h4" mb="xs">
            Calls by attestation level per {perWhat}
          </Title>
          <StackedBars
            testId="level-svg"
            summary={`Calls by the level they claimed in the last ${words}: A ${levels.A}, B ${levels.B}, C ${levels.C}.`}
            xTitle={xTitle}
            layers={LEVEL_LAYERS}
            bars={bars((p) => ({ A: p.A, B: p.B, C: p.C }))}
          />
          <Legend layers={LEVEL_LAYERS} />
        </Card>
      </SimpleGrid>
      <SeriesTable a={a} words={words} />
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TopList
          title="Most failures"
          empty="No signer's calls failed."
          spcs={a.top_failing}
          signers={a.signers}
          count={(s) => `${s.failed} of ${s.total} failed`}
        />
        <TopList
          title="Most failed A's"
          empty="No call signed A failed."
          spcs={a.top_failed_a}
          signers={a.signers}
          count={(s) => `${s.failed_a} of ${s.attest.A} signed A failed`}
        />
      </SimpleGrid>
      <SignersTable signers={a.signers} />
    </>
  )
}

/** The charts' numbers as a table, for screen readers. */
function SeriesTable({ a, words }: { a: CallAnalytics; words: string }) {
  return (
    <VisuallyHidden>
      <Table>
        <caption>
          Calls verified per {a.bucket}, last {words}: passed, failed, and by level
        </caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{a.bucket === 'hour' ? 'Hour' : 'Day (UTC)'}</Table.Th>
            <Table.Th scope="col">Passed</Table.Th>
            <Table.Th scope="col">Failed</Table.Th>
            {LEVELS.map((l) => (
              <Table.Th key={l} scope="col">
                {LEVEL_WORDS[l]}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {a.series.map((p) => (
            <Table.Tr key={p.t}>
              <Table.Th scope="row">{bucketTitle(p.t, a.bucket)}</Table.Th>
              <Table.Td>{p.passed}</Table.Td>
              <Table.Td>{p.failed}</Table.Td>
              {LEVELS.map((l) => (
                <Table.Td key={l}>{p[l]}</Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </VisuallyHidden>
  )
}

interface TopListProps {
  readonly title: string
  readonly empty: string
  readonly spcs: readonly string[]
  readonly signers: readonly Signer[]
  readonly count: (s: Signer) => string
}

function TopList({ title, empty, spcs, signers, count }: TopListProps) {
  const by = new Map(signers.map((s) => [s.spc, s]))
  return (
    <Card withBorder>
      <Title order={3} size="h4" mb="xs">
        {title}
      </Title>
      {spcs.length === 0 ? (
        <Text size="sm">{empty}</Text>
      ) : (
        <List type="ordered" size="sm" aria-label={title}>
          {spcs.map((spc) => (
            <List.Item key={spc}>
              SPC <b>{spc}</b>: {count(by.get(spc)!)}
            </List.Item>
          ))}
        </List>
      )}
    </Card>
  )
}

const COLUMNS: ReadonlyArray<readonly [SignerColumn, string]> = [
  ['spc', 'Signer (SPC)'],
  ['total', 'Calls'],
  ['passed', 'Passed'],
  ['failed', 'Failed'],
  ['failed_a', 'Failed A'],
]

/** Every signer with its counts and top reasons, sorted by the column chosen. */
function SignersTable({ signers }: { signers: readonly Signer[] }) {
  const [sort, setSort] = useState<{ column: SignerColumn; ascending: boolean }>({ column: 'total', ascending: false })
  const rows = sortSigners(signers, sort.column, sort.ascending)
  const choose = (column: SignerColumn) =>
    setSort((s) =>
      s.column === column ? { column, ascending: !s.ascending } : { column, ascending: column === 'spc' },
    )
  return (
    <Card withBorder>
      <Title order={3} size="h4" mb="xs">
        Signers
      </Title>
      {signers.length === 0 ? (
        <Text size="sm">No calls were verified in this period.</Text>
      ) : (
        <Table.ScrollContainer minWidth={720}>
          <Table aria-label="Signers" verticalSpacing="xs" data-testid="signers-table">
            <Table.Thead>
              <Table.Tr>
                {COLUMNS.map(([c, label]) => (
                  <Table.Th
                    key={c}
                    scope="col"
                    aria-sort={sort.column === c ? (sort.ascending ? 'ascending' : 'descending') : undefined}
                  >
                    <UnstyledButton fw={600} fz="sm" onClick={() => choose(c)}>
                      {label}
                      {sort.column === c ? (sort.ascending ? ' ▲' : ' ▼') : ''}
                    </UnstyledButton>
                  </Table.Th>
                ))}
                <Table.Th scope="col">Why calls failed</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((s) => (
                <Table.Tr key={s.spc} data-spc={s.spc}>
                  <Table.Th scope="row" fw={s.spc ? 600 : 400}>
                    {signerName(s.spc)}
                  </Table.Th>
                  <Table.Td>
                    {s.total}
                    <Text span size="xs" c="dimmed">
                      {' '}
                      (A {s.attest.A}, B {s.attest.B}, C {s.attest.C})
                    </Text>
                  </Table.Td>
                  <Table.Td>{s.passed}</Table.Td>
                  <Table.Td>
                    {s.failed}
                    <Text span size="xs" c="dimmed">
                      {' '}
                      ({percent(s.failed, s.total)})
                    </Text>
                  </Table.Td>
                  <Table.Td>{s.failed_a}</Table.Td>
                  <Table.Td>
                    {topReasons(s)
                      .map(([r, n]) => `${verifyReasonInWords(r)} (${n})`)
                      .join('; ') || '—'}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Card>
  )
}
