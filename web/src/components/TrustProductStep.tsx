/** Creates and submits the SHAKEN/STIR trust product for a submitted profile. */
import { useState } from 'react'
import { Alert, Button, Stack, Text } from '@mantine/core'
import { submitTrustProduct, type Evaluation } from '../onboarding'

export interface TrustProductStepProps {
  readonly profile: string
  readonly name: string
  readonly email: string
  readonly existing?: string
  readonly remember: (sid: string) => void
  readonly account?: string
  readonly onSubmitted: () => void
}

export function TrustProductStep(p: TrustProductStepProps) {
  const [busy, setBusy] = useState('')
  const [problem, setProblem] = useState<string[]>([])
  const run = async () => {
    setProblem([])
    try {
      const ev: Evaluation = await submitTrustProduct(
        p.profile,
        p.name,
        p.email,
        p.existing,
        p.remember,
        setBusy,
        p.account,
      )
      if (ev.status === 'compliant') p.onSubmitted()
      // A requirement several profile types meet fails once per type, with one reason: show it once.
      else
        setProblem([
          ...new Set<string>(
            ev.results
              .filter((r) => !r.passed)
              .map((r) => r.failure_reason ?? (r.invalid ?? []).map((i: any) => i.failure_reason).join('; ')),
          ),
        ])
    } catch (e) {
      setProblem([(e as Error).message])
    } finally {
      setBusy('')
    }
  }
  return (
    <Stack>
      <Text>
        The SHAKEN/STIR trust product tells carriers your calls are vetted. It links the business profile {p.profile}.
      </Text>
      {problem.map((m) => (
        <Alert key={m} color="red" role="alert">
          {m}
        </Alert>
      ))}
      <Button onClick={run} loading={!!busy} w="fit-content">
        Create and submit the trust product
      </Button>
      {busy && (
        <Text size="sm" role="status">
          {busy}…
        </Text>
      )}
    </Stack>
  )
}
