/**
 * The business-profile wizard shared by the Direct Customer and ISV paths: business
 * information, representative, address, then review + submit. Server evaluation errors are
 * put back next to their fields and the wizard jumps to the first step that has one.
 */
import { useState } from 'react'
import { Alert, Button, Group, Stack, Stepper, Text, TextInput } from '@mantine/core'
import { checkStep, type StepKey } from '../fields'
import { evaluationErrors, submitProfile, type FieldErrors, type ProfileDraft, type ProfileTarget } from '../onboarding'
import { StepFields } from './StepFields'

const STEPS: readonly StepKey[] = ['business', 'rep', 'address']
const TITLES: Record<StepKey, string> = {
  business: 'Business information',
  rep: 'Authorized representative',
  address: 'Business address',
}

export interface ProfileWizardProps {
  readonly draft: ProfileDraft
  readonly save: (f: (d: ProfileDraft) => ProfileDraft) => void
  readonly target: ProfileTarget
  readonly locked?: readonly string[]
  readonly idPrefix: string
  readonly onSubmitted: () => void
}

export function ProfileWizard(p: ProfileWizardProps) {
  const [active, setActive] = useState(0)
  const [errors, setErrors] = useState<FieldErrors>({})
  const [busy, setBusy] = useState('')
  const [failure, setFailure] = useState('')
  const d = p.draft

  const set = (step: StepKey) => (name: string, value: string) => {
    p.save((x) => ({ ...x, [step]: { ...x[step], [name]: value } }))
    setErrors((e) => ({ ...e, [step]: { ...e[step], [name]: '' } }))
  }
  const next = () => {
    const step = STEPS[active]!
    const found = checkStep(step, d[step])
    setErrors((e) => ({ ...e, [step]: found }))
    if (Object.keys(found).length === 0) setActive(active + 1)
  }
  const submit = async () => {
    setFailure('')
    try {
      const ev = await submitProfile(d, p.target, p.save, setBusy)
      if (ev.status === 'compliant') {
        p.onSubmitted()
        return
      }
      const errs = evaluationErrors(ev)
      setErrors(errs)
      const first = STEPS.findIndex((s) => errs[s] && Object.values(errs[s]!).some(Boolean))
      setFailure('The profile is not complete yet: fix the fields marked below.')
      if (first >= 0) setActive(first)
    } catch (e) {
      setFailure((e as Error).message)
    } finally {
      setBusy('')
    }
  }

  return (
    <Stack>
      {failure && (
        <Alert color="red" role="alert" title="Not submitted">
          {failure}
        </Alert>
      )}
      <Stepper active={active} onStepClick={setActive} allowNextStepsSelect={false} size="sm">
        {STEPS.map((s) => (
          <Stepper.Step key={s} label={TITLES[s]}>
            <StepFields
              step={s}
              values={d[s]}
              errors={errors[s] ?? {}}
              onChange={set(s)}
              locked={s === 'business' ? p.locked : []}
              idPrefix={`${p.idPrefix}-${s}`}
            />
          </Stepper.Step>
        ))}
        <Stepper.Step label="Review and submit">
          <Stack>
            <Text>
              {d.business.business_name} — {d.rep.first_name} {d.rep.last_name}, {d.address.street}, {d.address.city}{' '}
              {d.address.region}
            </Text>
            <TextInput
              label="Email for review notifications"
              value={d.email}
              onChange={(e) => {
                const v = e.currentTarget.value
                p.save((x) => ({ ...x, email: v }))
              }}
              description="Defaults to the representative's email"
            />
            {errors.other &&
              Object.values(errors.other).map((m) => (
                <Alert key={m} color="red">
                  {m}
                </Alert>
              ))}
          </Stack>
        </Stepper.Step>
      </Stepper>
      <Group justify="space-between">
        <Button variant="default" disabled={active === 0 || !!busy} onClick={() => setActive(active - 1)}>
          Back
        </Button>
        {active < STEPS.length ? (
          <Button onClick={next}>Next</Button>
        ) : (
          <Button onClick={submit} loading={!!busy}>
            Submit for review
          </Button>
        )}
      </Group>
      {busy && (
        <Text size="sm" role="status">
          {busy}…
        </Text>
      )}
    </Stack>
  )
}
