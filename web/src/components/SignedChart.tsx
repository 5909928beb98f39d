/**
 * Calls signed per local day and level (A, B, C) as stacked bars with labelled axes, over the
 * last 7, 30 or 90 days. Plain SVG sized to its container (one small chart does not need a
 * charting library); a visually hidden table and the image's label say the same in text.
 */
import { useEffect, useState } from 'react'
import { Button, Group, Stack, Table, Text, VisuallyHidden } from '@mantine/core'
import { useElementSize } from '@mantine/hooks'
import { api } from '../api'
import { dailyByLevel, LEVELS, yTicks, type Count, type Day } from '../chart'

export type { Count }

const RANGES = [7, 30, 90] as const
type Range = (typeof RANGES)[number]

const COLORS: Record<(typeof LEVELS)[number], string> = { A: '#2b8a3e', B: '#e67700', C: '#c92a2a' }
const LEVEL_WORDS: Record<(typeof LEVELS)[number], string> = {
  A: 'A — full',
  B: 'B — partial',
  C: 'C — gateway',
}

const HEIGHT = 240
const M = { top: 10, right: 8, bottom: 46, left: 48 }

const dayLabel = (d: Date) => d.toLocaleDateString(undefined, { month: 'short', day: 'numeric' })
const total = (d: Day) => d.A + d.B + d.C

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
      <Group gap="sm" aria-hidden>
        {LEVELS.map((l) => (
          <Text key={l} size="xs">
            <span style={{ color: COLORS[l] }}>■</span> {LEVEL_WORDS[l]}
          </Text>
        ))}
      </Group>
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
  const { ref, width } = useElementSize()
  const w = Math.max(width, 200)
  const plotW = w - M.left - M.right
  const plotH = HEIGHT - M.top - M.bottom
  const ticks = yTicks(Math.max(0, ...series.map(total)))
  const top = ticks[ticks.length - 1]!
  const y = (v: number) => M.top + plotH - (v / top) * plotH
  const slot = plotW / series.length
  const barW = Math.max(1, slot * 0.7)
  // About one date label per 60 px, always including the latest day.
  const every = Math.ceil(series.length / Math.max(2, Math.floor(plotW / 60)))
  return (
    <div ref={ref} style={{ width: '100%' }}>
      <svg role="img" aria-label={`Bar chart. ${summary}`} width={w} height={HEIGHT} data-testid="signed-svg">
        {ticks.map((t) => (
          <g key={t}>
            <line x1={M.left} x2={w - M.right} y1={y(t)} y2={y(t)} stroke="#dee2e6" />
            <text x={M.left - 6} y={y(t)} dy="0.32em" fontSize={11} textAnchor="end" fill="currentColor">
              {t}
            </text>
          </g>
        ))}
        <text
          transform={`translate(12 ${M.top + plotH / 2}) rotate(-90)`}
          fontSize={11}
          textAnchor="middle"
          fill="currentColor"
        >
          Calls
        </text>
        {series.map((d, i) => {
          const x = M.left + i * slot + (slot - barW) / 2
          let base = 0
          return (
            <g key={d.date.getTime()} data-day={d.date.toLocaleDateString()}>
              <title>{`${dayLabel(d.date)}: A ${d.A}, B ${d.B}, C ${d.C}`}</title>
              {LEVELS.map((l) => {
                if (!d[l]) return null
                const y0 = y(base)
                base += d[l]
                return <rect key={l} x={x} y={y(base)} width={barW} height={y0 - y(base)} fill={COLORS[l]} />
              })}
              {(series.length - 1 - i) % every === 0 && (
                <text
                  x={x + barW / 2}
                  y={M.top + plotH + 16}
                  fontSize={11}
                  textAnchor="middle"
                  fill="currentColor"
                  data-testid="x-label"
                >
                  {dayLabel(d.date)}
                </text>
              )}
            </g>
          )
        })}
        <line x1={M.left} x2={w - M.right} y1={M.top + plotH} y2={M.top + plotH} stroke="currentColor" />
        <line x1={M.left} x2={M.left} y1={M.top} y2={M.top + plotH} stroke="currentColor" />
        <text x={M.left + plotW / 2} y={HEIGHT - 6} fontSize={11} textAnchor="middle" fill="currentColor">
          Day (your local time)
        </text>
      </svg>
    </div>
  )
}
