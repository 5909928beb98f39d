/** Shows an attestation decision from /stir/v1/attestation: the level, the rule, next steps. */
import { useEffect, useState } from 'react'
import { Alert, Badge, Group, List, Stack, Text } from '@mantine/core'
import { api, isMissingRoute } from '../api'

export interface Decision {
  level?: string | null
  attest?: string
  rule?: string
  reason?: string
  reasons?: unknown[]
  missing_for_a?: unknown[]
  missing_for_b?: unknown[]
  next_steps?: unknown[]
  [k: string]: unknown
}

const LEVEL_COLOR: Record<string, string> = { A: 'green', B: 'yellow', C: 'red' }
const text = (x: unknown) =>
  typeof x === 'string'
    ? x
    : typeof x === 'object' && x
      ? String((x as any).message ?? (x as any).description ?? (x as any).reason ?? JSON.stringify(x))
      : String(x)

/** The decision for one call, or why it is not available. */
export function useDecision(from: string | undefined, to: string | undefined, account?: string, nonce = 0) {
  const [state, setState] = useState<{ decision?: Decision; unavailable?: string }>({})
  useEffect(() => {
    if (!from || !to) return
    api<Decision>('GET', '/stir/v1/attestation', { query: { from, to }, account })
      .then((decision) => setState({ decision }))
      .catch((e) =>
        setState({
          unavailable: isMissingRoute(e)
            ? 'The attestation engine is not available on this server yet.'
            : (e as Error).message,
        }),
      )
  }, [from, to, account, nonce])
  return state
}

function DecisionView({ decision }: { decision: Decision }) {
  const level = String(decision.level ?? decision.attest ?? 'not signed')
  const reasons = [...(decision.reasons ?? []), ...(decision.reason ? [decision.reason] : [])]
  const forA = decision.missing_for_a ?? decision.next_steps ?? []
  const forB = decision.missing_for_b ?? []
  return (
    <Stack gap="xs" data-testid="decision">
      <Group>
        <Text fw={600}>Attestation</Text>
        <Badge size="xl" autoContrast color={LEVEL_COLOR[level] ?? 'gray'} data-testid="level">
          {level}
        </Badge>
        {decision.rule && (
          <Text size="sm">
            rule:{' '}
            <Text span ff="monospace" data-testid="rule">
              {decision.rule}
            </Text>
          </Text>
        )}
      </Group>
      {reasons.length > 0 && (
        <>
          <Text fw={600} size="sm">
            Why
          </Text>
          <List size="sm">
            {reasons.map((r, i) => (
              <List.Item key={i}>{text(r)}</List.Item>
            ))}
          </List>
        </>
      )}
      <Steps title="Next steps to reach A" steps={forA} testId="steps-a" />
      <Steps title="Next steps to reach B" steps={forB} testId="steps-b" />
    </Stack>
  )
}

/** One list of next steps, under its own heading; nothing when empty. */
export function Steps({ title, steps, testId }: { title: string; steps: readonly unknown[]; testId: string }) {
  if (steps.length === 0) return null
  return (
    <>
      <Text fw={600} size="sm">
        {title}
      </Text>
      <List size="sm" data-testid={testId}>
        {steps.map((r, i) => (
          <List.Item key={i}>{text(r)}</List.Item>
        ))}
      </List>
    </>
  )
}

export function DecisionOrNote(p: { decision?: Decision; unavailable?: string }) {
  if (p.unavailable) return <Alert color="gray">{p.unavailable}</Alert>
  if (!p.decision) return null
  return <DecisionView decision={p.decision} />
}
