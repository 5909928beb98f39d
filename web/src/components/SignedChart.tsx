/**
 * Calls signed per day and level as stacked bars (plain SVG: one small chart does not need a
 * charting library), with the totals in text for screen readers and a quick read.
 */
import { Group, Stack, Text } from '@mantine/core'

export interface Count {
  hour: string
  attest: string
  count: number
}

const LEVELS = ['A', 'B', 'C', 'none', 'div'] as const
const COLORS: Record<string, string> = { A: '#2b8a3e', B: '#e67700', C: '#c92a2a', none: '#868e96', div: '#1971c2' }

export function SignedChart({ counts }: { counts: readonly Count[] }) {
  const days = [...new Set(counts.map((c) => c.hour.slice(0, 10)))].sort()
  const byDay = days.map((d) =>
    Object.fromEntries(
      LEVELS.map((l) => [
        l,
        counts.filter((c) => c.hour.startsWith(d) && c.attest === l).reduce((n, c) => n + c.count, 0),
      ]),
    ),
  )
  const totals = Object.fromEntries(
    LEVELS.map((l) => [l, counts.filter((c) => c.attest === l).reduce((n, c) => n + c.count, 0)]),
  )
  const max = Math.max(1, ...byDay.map((d) => LEVELS.reduce((n, l) => n + d[l]!, 0)))
  const summary = `Signed: A ${totals.A}, B ${totals.B}, C ${totals.C}${totals.none ? `, not signed ${totals.none}` : ''}${totals.div ? `, forwarding hops ${totals.div}` : ''}`
  if (!counts.length)
    return (
      <Text size="sm" c="dimmed">
        No calls signed in the last 7 days.
      </Text>
    )
  const w = 28
  return (
    <Stack gap={4}>
      <Text size="sm" data-testid="signed-summary">
        {summary}
      </Text>
      <svg
        role="img"
        aria-label={`Calls signed per day. ${summary}`}
        width={Math.max(days.length * (w + 8), 60)}
        height={90}
      >
        {byDay.map((d, i) => {
          let y = 80
          return (
            <g key={days[i]}>
              {LEVELS.map((l) => {
                const h = (d[l]! / max) * 70
                y -= h
                return h > 0 ? (
                  <rect key={l} x={i * (w + 8)} y={y} width={w} height={h} fill={COLORS[l]}>
                    <title>{`${days[i]} ${l}: ${d[l]}`}</title>
                  </rect>
                ) : null
              })}
              <text x={i * (w + 8) + w / 2} y={89} fontSize={8} textAnchor="middle">
                {days[i]!.slice(5)}
              </text>
            </g>
          )
        })}
      </svg>
      <Group gap="sm">
        {LEVELS.slice(0, 3).map((l) => (
          <Text key={l} size="xs">
            <span style={{ color: COLORS[l] }}>■</span> {l}
          </Text>
        ))}
      </Group>
    </Stack>
  )
}
