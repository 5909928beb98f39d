/** Creates and submits the SHAKEN/STIR trust product for a submitted profile. */
import { useState } from 'react'
import { Alert, Button, Stack, Text } from '@mantine/core'
import { submitTrustProduct, type Evaluation } from '../onboarding'

export interface TrustProductStepProps {
  readonly profile: string
  readonly name: string
  readonly email: string
  /** A draft trust product of the account, submitted instead of making another. */
  readonly existing?: string
  /** A sub-account SID, or '' for the signed-in account. */
  readonly account: string
  /** Called after every attempt: the page reads the server's state again. */
  readonly onChanged: () => void
  /** Words for the profile it links ("your business profile"). */
  readonly profileName: string
}

export function TrustProductStep(p: TrustProductStepProps) {
  const [busy, setBusy] = useState('')
  const [problem, setProblem] = useState<string[]>([])
  const run = async () => {
    setProblem([])
    try {
      const ev: Evaluation = await submitTrustProduct(p.profile, p.name, p.email, p.existing, setBusy, p.account)
      // A requirement several profile types meet fails once per type, with one reason: show it once.
      if (ev.status !== 'compliant')
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
      p.onChanged()
    }
  }
  return (
    <Stack>
      <Text>The SHAKEN/STIR trust product tells carriers your calls are vetted. It links {p.profileName}.</Text>
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
