/**
 * The business-profile wizard shared by the Direct Customer and ISV paths: business
 * information, representative, address, then review + submit. The reviewer's automated checks
 * run on the draft as the customer types (per field, when it loses focus) and all together on
 * the review step; server evaluation errors are put back next to their fields and the wizard
 * jumps to the first step that has one. Only unsent fields stay in the browser.
 */
import { useEffect, useState } from 'react'
import { Alert, Button, Group, List, Stack, Stepper, Text, TextInput } from '@mantine/core'
import { api } from '../api'
import { checkStep, type StepKey } from '../fields'
import { fieldProblems, normalisedPhone, reviewChecks, type ProfileForm } from '../checks'
import { clearDraft, useDraft } from '../drafts'
import { evaluationErrors, submitProfile, type FieldErrors, type ProfileParts, type ProfileTarget } from '../onboarding'
import { StepFields } from './StepFields'

const STEPS: readonly StepKey[] = ['business', 'rep', 'address']
const TITLES: Record<StepKey, string> = {
  business: 'Business information',
  rep: 'Authorized representative',
  address: 'Business address',
}

export interface ProfileWizardProps {
  /** What the server holds for this profile (nothing yet, or a draft or rejected one). */
  readonly parts: ProfileParts
  /** The form when the server holds none: blanks with the fixed business identity. */
  readonly blank: ProfileForm
  /** localStorage key of the unsent fields. */
  readonly draftKey: string
  readonly target: ProfileTarget
  readonly locked?: readonly string[]
  readonly idPrefix: string
  /** Why submission must wait, if it must (the form can still be filled and saved). */
  readonly blocked?: string
  /** Called after every attempt: the page reads the server's state again. */
  readonly onChanged: () => void
}

export function ProfileWizard(p: ProfileWizardProps) {
  const [d, save] = useDraft<ProfileForm>(p.target.accountSid, p.draftKey, p.parts.form ?? p.blank)
  const [active, setActive] = useState(0)
  const [errors, setErrors] = useState<FieldErrors>({})
  const [notes, setNotes] = useState<Record<string, string>>({})
  const [busy, setBusy] = useState('')
  const [failure, setFailure] = useState('')

  const set = (step: StepKey) => (name: string, value: string) => {
    save((x) => ({ ...x, [step]: { ...x[step], [name]: value } }))
    setErrors((e) => ({ ...e, [step]: { ...e[step], [name]: '' } }))
  }
  /** On blur: the phone as the API keeps it, and the checks that read this field. */
  const blur = (step: StepKey) => (name: string) => {
    let form = d
    if (name === 'phone_number' && d.rep.phone_number) {
      const e164 = normalisedPhone(d.rep.phone_number)
      if (e164 !== d.rep.phone_number) {
        form = { ...d, rep: { ...d.rep, phone_number: e164 } }
        save(() => form)
      }
      setNotes((n) => ({ ...n, phone_number: e164.startsWith('+') ? `Saved as ${e164}` : '' }))
    }
    const found = fieldProblems(step, form)
    setErrors((e) => ({ ...e, [step]: { ...e[step], [name]: found[name] ?? '' } }))
  }
  const next = () => {
    const step = STEPS[active]!
    const found = { ...fieldProblems(step, d), ...checkStep(step, d[step]) }
    setErrors((e) => ({ ...e, [step]: found }))
    if (Object.keys(found).length === 0) setActive(active + 1)
  }
  const checks = active === STEPS.length ? reviewChecks(d) : []
  // What only the server knows (a registration number approved on another account), on the saved draft.
  const [duplicate, setDuplicate] = useState('')
  useEffect(() => {
    if (active !== STEPS.length || !p.parts.profile) return
    api<{ checks: { name: string; passed: boolean }[] }>('GET', `/v1/CustomerProfiles/${p.parts.profile}/Checks`, {
      account: p.target.account,
    })
      .then((r) => {
        const dup = r.checks.find((c) => c.name === 'duplicate_registration' && !c.passed)
        setDuplicate(
          dup
            ? 'This registration number is already approved for another account: the reviewer will ask how the two are related.'
            : '',
        )
      })
      .catch(() => setDuplicate(''))
  }, [active, p.parts.profile])
  const failing = checks.filter((c) => !c.passed)
  const submit = async () => {
    setFailure('')
    try {
      const ev = await submitProfile(d, p.parts, p.target, setBusy)
      if (ev.status === 'compliant') {
        clearDraft(p.target.accountSid, p.draftKey)
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
      // Whatever happened, what the server now holds is what the page shows next.
      p.onChanged()
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
              onBlur={blur(s)}
              notes={s === 'rep' ? notes : undefined}
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
                save((x) => ({ ...x, email: v }))
              }}
              description="Defaults to the representative's email"
            />
            <Stack gap={4} aria-label="Automated checks" role="region">
              <Text fw={600}>The reviewer's automated checks, run on this draft</Text>
              <List size="sm" spacing={4}>
                {checks.map((c) => (
                  <List.Item key={c.name} data-check={c.name} data-passed={c.passed}>
                    <Text span size="sm" c={c.passed ? undefined : 'red.8'}>
                      {c.passed ? 'Passes: ' : 'Fix: '}
                      {c.text}
                    </Text>
                  </List.Item>
                ))}
              </List>
            </Stack>
            {duplicate && (
              <Alert color="yellow" title="Checked on the server">
                {duplicate}
              </Alert>
            )}
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
          <Button
            onClick={submit}
            loading={!!busy}
            disabled={!!p.blocked || failing.length > 0}
            aria-describedby={p.blocked || failing.length ? `${p.idPrefix}-why` : undefined}
          >
            Submit for review
          </Button>
        )}
      </Group>
      {active === STEPS.length && (p.blocked || failing.length > 0) && (
        <Text size="sm" id={`${p.idPrefix}-why`} data-testid="submit-blocked">
          {p.blocked ?? 'Fix what the checks above found before submitting.'}
        </Text>
      )}
      {busy && (
        <Text size="sm" role="status">
          {busy}…
        </Text>
      )}
    </Stack>
  )
}
