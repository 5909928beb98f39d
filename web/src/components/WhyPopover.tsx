/**
 * "Why?" for one number: the level its calls get today, the bundles holding it, the next step
 * as a button in plain words ("Assign +1 310-555-0177 to your trust product"), and the engine's
 * steps to reach A and to reach B.
 */
import { useState } from 'react'
import { Alert, Badge, Button, Popover, Stack, Text } from '@mantine/core'
import { api } from '../api'
import { STATUS_WORDS } from '../words'
import { formatNumber } from '../phone'
import { Steps } from './Attestation'
import type { BundleOption } from './BulkAssign'
import type { HeldNumber, NumberFact } from './numberFacts'

export const LEVEL_COLOR: Readonly<Record<string, string>> = { A: 'green', B: 'yellow', C: 'red' }

export interface WhyProps {
  readonly number: HeldNumber
  readonly fact?: NumberFact
  readonly profiles: readonly BundleOption[]
  readonly products: readonly BundleOption[]
  readonly humanize: (text: string) => string
  readonly onChanged: () => void
}

/** The one next step the console can take for the number, if any. */
function nextStep(p: WhyProps): { label: string; run: () => Promise<void> } | undefined {
  const on = p.fact?.assigned_to ?? []
  const num = formatNumber(p.number.phone_number)
  const profile = on.find((b) => b.kind === 'customer-profile')
  const assign = (path: string, sid: string) =>
    api('POST', `/v1/${path}/${sid}/ChannelEndpointAssignments`, {
      form: { ChannelEndpointType: 'phone-number', ChannelEndpointSid: p.number.sid },
    })
  if (!profile && p.profiles[0]) {
    const target = p.profiles[0]
    return {
      label: `Assign ${num} to your business profile “${target.friendly_name}”`,
      run: () => assign('CustomerProfiles', target.sid),
    }
  }
  if (profile && !on.some((b) => b.kind === 'trust-product') && p.products[0]) {
    const target = p.products[0]
    return {
      label: `Assign ${num} to your trust product “${target.friendly_name}”`,
      run: () => assign('TrustProducts', target.sid),
    }
  }
  return undefined
}

export function WhyPopover(p: WhyProps) {
  const [error, setError] = useState('')
  const [busy, setBusy] = useState(false)
  const f = p.fact
  const level = f?.level ?? undefined
  const num = formatNumber(p.number.phone_number)
  const step = nextStep(p)
  const on = f?.assigned_to ?? []
  const holders = (kind: string) => on.filter((b) => b.kind === kind)
  const line = (label: string, kind: string) => (
    <Text size="sm">
      {label}:{' '}
      {holders(kind).length
        ? holders(kind)
            .map((b) => `“${b.friendly_name}” (${STATUS_WORDS[b.status] ?? b.status})`)
            .join(', ')
        : 'no'}
    </Text>
  )
  return (
    <Popover width={360} position="bottom-end" withArrow shadow="md" transitionProps={{ duration: 0 }}>
      <Popover.Target>
        <Button size="compact-xs" variant="subtle" aria-label={`Why? ${num}`}>
          Why?
        </Button>
      </Popover.Target>
      <Popover.Dropdown aria-label={`Why ${num} gets ${level ?? 'no level'}`}>
        <Stack gap="xs" data-testid="why">
          <Text size="sm" fw={600}>
            Calls from {num} today:{' '}
            <Badge color={LEVEL_COLOR[level ?? ''] ?? 'gray'} autoContrast>
              {level ?? 'not known'}
            </Badge>
          </Text>
          {line('On a business profile', 'customer-profile')}
          {line('On a trust product', 'trust-product')}
          {level === 'A' && <Text size="sm">Nothing to do: calls from this number get full attestation.</Text>}
          {step && (
            <Button
              size="xs"
              loading={busy}
              onClick={async () => {
                setError('')
                setBusy(true)
                try {
                  await step.run()
                  p.onChanged()
                } catch (e) {
                  setError(p.humanize((e as Error).message))
                } finally {
                  setBusy(false)
                }
              }}
              styles={{ label: { whiteSpace: 'normal' } }}
              h="auto"
              py={6}
            >
              {step.label}
            </Button>
          )}
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          <Steps title="To reach A" steps={(f?.missing_for_a ?? []).map(p.humanize)} testId="why-steps-a" />
          <Steps title="To reach B" steps={(f?.missing_for_b ?? []).map(p.humanize)} testId="why-steps-b" />
        </Stack>
      </Popover.Dropdown>
    </Popover>
  )
}
