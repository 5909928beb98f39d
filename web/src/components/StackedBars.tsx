/**
 * Stacked bars with labelled axes and round ticks, in plain SVG sized to its container (a few
 * small charts do not need a charting library). The picture is `role="img"` with a summary for
 * its label; each caller also gives the numbers as a table (visually hidden or shown).
 */
import { Group, Text } from '@mantine/core'
import { useElementSize } from '@mantine/hooks'
import { labelEvery, yTicks } from '../chart'

/** One stacked bar: its x label, its tooltip, and a value per layer. */
export interface Bar<K extends string> {
  readonly key: string
  readonly label: string
  readonly title: string
  readonly values: Readonly<Record<K, number>>
}

/** One layer of the stack, bottom first. */
export interface Layer<K extends string> {
  readonly key: K
  readonly color: string
  readonly words: string
}

interface Props<K extends string> {
  readonly bars: readonly Bar<K>[]
  readonly layers: readonly Layer<K>[]
  /** The image's text: what the chart shows and its totals. */
  readonly summary: string
  readonly xTitle: string
  readonly yTitle?: string
  readonly testId?: string
  readonly height?: number
}

const M = { top: 10, right: 8, bottom: 46, left: 48 }

export function StackedBars<K extends string>(p: Props<K>) {
  const { ref, width } = useElementSize()
  const height = p.height ?? 240
  const w = Math.max(width, 200)
  const plotW = w - M.left - M.right
  const plotH = height - M.top - M.bottom
  const total = (b: Bar<K>) => p.layers.reduce((n, l) => n + b.values[l.key], 0)
  const ticks = yTicks(Math.max(0, ...p.bars.map(total)))
  const top = ticks[ticks.length - 1]!
  const y = (v: number) => M.top + plotH - (v / top) * plotH
  const slot = plotW / Math.max(1, p.bars.length)
  const barW = Math.max(1, slot * 0.7)
  const every = labelEvery(p.bars.length, plotW)
  return (
    <div ref={ref} style={{ width: '100%' }}>
      <svg role="img" aria-label={`Bar chart. ${p.summary}`} width={w} height={height} data-testid={p.testId}>
        {ticks.map((t) => (
          <g key={t} data-testid="y-tick">
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
          {p.yTitle ?? 'Calls'}
        </text>
        {p.bars.map((b, i) => {
          const x = M.left + i * slot + (slot - barW) / 2
          let base = 0
          return (
            <g key={b.key} data-bar={b.key}>
              <title>{b.title}</title>
              {p.layers.map((l) => {
                const v = b.values[l.key]
                if (!v) return null
                const y0 = y(base)
                base += v
                return <rect key={l.key} x={x} y={y(base)} width={barW} height={y0 - y(base)} fill={l.color} />
              })}
              {(p.bars.length - 1 - i) % every === 0 && (
                <text
                  x={x + barW / 2}
                  y={M.top + plotH + 16}
                  fontSize={11}
                  textAnchor="middle"
                  fill="currentColor"
                  data-testid="x-label"
                >
                  {b.label}
                </text>
              )}
            </g>
          )
        })}
        <line
          x1={M.left}
          x2={w - M.right}
          y1={M.top + plotH}
          y2={M.top + plotH}
          stroke="currentColor"
          data-testid="x-axis"
        />
        <line x1={M.left} x2={M.left} y1={M.top} y2={M.top + plotH} stroke="currentColor" data-testid="y-axis" />
        <text x={M.left + plotW / 2} y={height - 6} fontSize={11} textAnchor="middle" fill="currentColor">
          {p.xTitle}
        </text>
      </svg>
    </div>
  )
}

/** The layers' colours and words (the table beside the chart says the same). */
export function Legend<K extends string>({ layers }: { layers: readonly Layer<K>[] }) {
  return (
    <Group gap="sm" aria-hidden>
      {layers.map((l) => (
        <Text key={l.key} size="xs">
          <span style={{ color: l.color }}>■</span> {l.words}
        </Text>
      ))}
    </Group>
  )
}
