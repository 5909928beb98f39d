/**
 * Calls signed per local day and level (A, B, C) as stacked bars with labelled axes, over the
 * last 7, 30 or 90 days. Plain SVG sized to its container (one small chart does not need a
 * charting library); a visually hidden table and the image's label say the same in text.
 */
import { useEffect, useState } from 'react'
import { Button, Group, Stack, Table, Text, VisuallyHidden } from '@mantine/core'
import { api } from '../api'
import { dailyByLevel, LEVEL_COLORS, LEVEL_WORDS, LEVELS, type Count, type Day } from '../chart'
import { Legend, StackedBars } from './StackedBars'

export type { Count }

const RANGES = [7, 30, 90] as const
type Range = (typeof RANGES)[number]

const LAYERS = LEVELS.map((l) => ({ key: l, color: LEVEL_COLORS[l], words: LEVEL_WORDS[l] }))

const dayLabel = (d: Date) => d.toLocaleDateString(undefined, { month: 'short', day: 'numeric' })

/** The account's counters for `days` (the dashboard's own 7-day fetch is reused; longer ranges are fetched here). */
function useCounts(accountSid: string, week: readonly Count[], days: Range) {
  const [fetched, setFetched] = useState<Partial<Record<Range, readonly Count[]>>>({})
  const [error, setError] = useState('')
  useEffect(() => {
    if (days === 7 || fetched[days]) return
    api<{ accounts: { signing: Count[] }[] }>('GET', '/console/api/stats', {
      query: { Accounts: accountSid, Hours: String(days * 24) },
    })
      .then((r) => setFetched((old) => ({ ...old, [days]: r.accounts[0]?.signing ?? [] })))
      .catch((e) => setError((e as Error).message))
  }, [accountSid, days])
  return { counts: days === 7 ? week : fetched[days], error }
}

export function SignedChart({ accountSid, counts: week }: { accountSid: string; counts: readonly Count[] }) {
  const [days, setDays] = useState<Range>(7)
  const { counts, error } = useCounts(accountSid, week, days)
  const series = dailyByLevel(counts ?? [], days, new Date())
  const sums = Object.fromEntries(LEVELS.map((l) => [l, series.reduce((n, d) => n + d[l], 0)]))
  const summary = `Signed: A ${sums.A}, B ${sums.B}, C ${sums.C} in the last ${days} days`
  return (
    <Stack gap={4} data-testid="signed-chart">
      <Group justify="space-between" gap="xs">
        <Text fw={600} size="sm">
          Calls signed per day
        </Text>
        <Group gap={4} role="group" aria-label="Period shown">
          {RANGES.map((r) => (
            <Button
              key={r}
              size="compact-xs"
              variant={r === days ? 'filled' : 'default'}
              aria-pressed={r === days}
              onClick={() => setDays(r)}
            >
              {r} days
            </Button>
          ))}
        </Group>
      </Group>
      {error && (
        <Text size="sm" c="red.8">
          {error}
        </Text>
      )}
      <Text size="sm" data-testid="signed-summary">
        {counts === undefined ? 'Loading…' : summary}
      </Text>
      {counts !== undefined && <Bars series={series} summary={summary} />}
      <Legend layers={LAYERS} />
      {counts !== undefined && (
        <VisuallyHidden>
          <Table>
            <caption>Calls signed per day and level, last {days} days</caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Day</Table.Th>
                {LEVELS.map((l) => (
                  <Table.Th key={l} scope="col">
                    {LEVEL_WORDS[l]}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {series.map((d) => (
                <Table.Tr key={d.date.getTime()}>
                  <Table.Th scope="row">{d.date.toLocaleDateString()}</Table.Th>
                  {LEVELS.map((l) => (
                    <Table.Td key={l}>{d[l]}</Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </VisuallyHidden>
      )}
    </Stack>
  )
}

/** The stacked bars, axes and ticks, drawn at the container's width. */
function Bars({ series, summary }: { series: readonly Day[]; summary: string }) {
  return (
    <StackedBars
      testId="signed-svg"
      summary={summary}
      xTitle="Day (your local time)"
      layers={LAYERS}
      bars={series.map((d) => ({
        key: String(d.date.getTime()),
        label: dayLabel(d.date),
        title: `${dayLabel(d.date)}: A ${d.A}, B ${d.B}, C ${d.C}`,
        values: d,
      }))}
    />
  )
}
