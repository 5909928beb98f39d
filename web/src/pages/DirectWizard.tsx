/** Direct Customer onboarding: primary profile → SHAKEN/STIR trust product → numbers. */
import { Alert, Button, Card, Group, Stack, Text, Title } from '@mantine/core'
import type { AccountSession } from '../api'
import { clearDraft, useDraft } from '../drafts'
import { emptyProfile, POLICY, type ProfileDraft } from '../onboarding'
import { ProfileWizard } from '../components/ProfileWizard'
import { TrustProductStep } from '../components/TrustProductStep'
import { NumberAssign } from '../components/NumberAssign'

type Stage = 'profile' | 'trust' | 'numbers'
interface Draft extends ProfileDraft {
  readonly stage: Stage
}

export function DirectWizard({ session }: { session: AccountSession }) {
  const [d, save] = useDraft<Draft>(session.account_sid, 'direct', {
    ...emptyProfile('direct_customer'),
    stage: 'profile',
  })
  const stage = (s: Stage) => save((x) => ({ ...x, stage: s }))
  return (
    <Stack maw={960}>
      <Title order={2}>Direct customer onboarding</Title>
      <Text c="dimmed">For businesses whose own staff place the calls. Your progress is saved as you go.</Text>
      <Card withBorder>
        <Title order={3} size="h4" mb="sm">
          1. Business profile
        </Title>
        {d.stage === 'profile' ? (
          <ProfileWizard
            draft={d}
            save={save as any}
            idPrefix="direct"
            locked={['business_identity']}
            target={{ accountSid: session.account_sid, policy: POLICY.PRIMARY_PROFILE }}
            onSubmitted={() => stage('trust')}
          />
        ) : (
          <Alert color="green" title="Profile submitted">
            Business profile {d.sids.profile} is with a reviewer (about 24 hours).
          </Alert>
        )}
      </Card>
      <Card withBorder>
        <Title order={3} size="h4" mb="sm">
          2. SHAKEN/STIR trust product
        </Title>
        {d.stage === 'trust' && (
          <TrustProductStep
            profile={d.sids.profile!}
            name={d.business.business_name ?? ''}
            email={d.email || d.rep.email || ''}
            existing={d.sids.trustProduct}
            remember={(sid) => save((x) => ({ ...x, sids: { ...x.sids, trustProduct: sid } }))}
            onSubmitted={() => stage('numbers')}
          />
        )}
        {d.stage === 'numbers' && (
          <Alert color="green" title="Trust product submitted">
            Trust product {d.sids.trustProduct} is with a reviewer (up to 72 hours).
          </Alert>
        )}
        {d.stage === 'profile' && <Text c="dimmed">After the profile.</Text>}
      </Card>
      <Card withBorder>
        <Title order={3} size="h4" mb="sm">
          3. Phone numbers
        </Title>
        {d.stage === 'numbers' ? (
          <NumberAssign accountSid={session.account_sid} profile={d.sids.profile!} trustProduct={d.sids.trustProduct} />
        ) : (
          <Text c="dimmed">After the trust product.</Text>
        )}
      </Card>
      <Group>
        <Button
          variant="subtle"
          color="red"
          onClick={() => {
            clearDraft(session.account_sid, 'direct')
            location.reload()
          }}
        >
          Start over
        </Button>
      </Group>
    </Stack>
  )
}
