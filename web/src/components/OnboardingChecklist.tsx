/**
 * The dashboard's onboarding checklist for an account that is not fully onboarded: business
 * profile, trust product, numbers on it (for an ISV: its profile, then its customers), each
 * read from the server, with a button to the page that does the next step. Gone once done.
 */
import { useEffect, useState } from 'react'
import { Badge, Button, Card, Group, List, Text, ThemeIcon, Title, VisuallyHidden } from '@mantine/core'
import { api, type AccountSession } from '../api'
import { navigate } from '../router'
import { STATUS_COLOR, STATUS_SHORT } from '../words'
import { furthest, isSent, POLICY } from '../onboarding'
import { useAccountBundles } from './OnboardingSteps'

interface Step {
  readonly label: string
  readonly done: boolean
  readonly status?: string
  readonly action: string
  readonly to: string
}

export function OnboardingChecklist({ session }: { session: AccountSession }) {
  const account = session.parent_account_sid ? session.account_sid : ''
  const { data } = useAccountBundles(account)
  const [numbers, setNumbers] = useState<number | undefined>()
  const profile = data && furthest(data.profiles)
  const tp = data && furthest(data.trustProducts, POLICY.SHAKEN_STIR)
  useEffect(() => {
    if (!isSent(tp)) return
    api<{ results: unknown[] }>('GET', `/v1/TrustProducts/${tp!.sid}/ChannelEndpointAssignments`, {
      query: { PageSize: '1' },
      account,
    })
      .then((r) => setNumbers(r.results.length))
      .catch(() => setNumbers(0))
  }, [tp?.sid, tp?.status])
  if (!data || (isSent(tp) && numbers === undefined)) return null
  const wizard = session.parent_account_sid ? `/onboarding/isv?customer=${session.account_sid}` : '/onboarding/direct'
  const steps: Step[] = [
    {
      label: 'Business profile',
      done: isSent(profile),
      status: profile?.status,
      action: profile ? 'Finish the business profile' : 'Start the business profile',
      to: wizard,
    },
    {
      label: 'SHAKEN/STIR trust product',
      done: isSent(tp),
      status: tp?.status,
      action: 'Create the trust product',
      to: wizard,
    },
    { label: 'Phone numbers on the trust product', done: !!numbers, action: 'Assign phone numbers', to: '/numbers' },
  ]
  // An ISV's calls are its customers': after its own profile, its customers are onboarded.
  if (session.sub_account_count > 0)
    steps.splice(1, 2, { label: 'Your customers', done: true, action: 'Open your customers', to: '/customers' })
  if (steps.every((s) => s.done)) return null
  const next = steps.findIndex((s) => !s.done)
  return (
    <Card withBorder aria-label="Onboarding checklist" component="section">
      <Title order={3} size="h4">
        Get your calls signed A
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {steps.filter((s) => s.done).length} of {steps.length} steps done.
      </Text>
      <List spacing="sm" center>
        {steps.map((s, i) => (
          <List.Item
            key={s.label}
            data-done={s.done}
            icon={
              <ThemeIcon color={s.done ? 'green' : i === next ? 'blue' : 'gray'} size={22} radius="xl" aria-hidden>
                {s.done ? '✓' : i + 1}
              </ThemeIcon>
            }
          >
            <Group gap="xs">
              <Text size="sm">
                {s.label}
                <VisuallyHidden component="span">
                  {s.done ? ' (done)' : i === next ? ' (next)' : ' (to do)'}
                </VisuallyHidden>
              </Text>
              {s.status && (
                <Badge size="sm" variant="light" color={STATUS_COLOR[s.status] ?? 'gray'}>
                  {STATUS_SHORT[s.status] ?? s.status}
                </Badge>
              )}
              {i === next && (
                <Button size="compact-sm" onClick={() => navigate(s.to)}>
                  {s.action}
                </Button>
              )}
            </Group>
          </List.Item>
        ))}
      </List>
    </Card>
  )
}
