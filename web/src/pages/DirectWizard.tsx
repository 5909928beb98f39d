/** Direct Customer onboarding: primary profile → SHAKEN/STIR trust product → numbers, as the server has them. */
import { Alert, Loader, Stack, Text, Title } from '@mantine/core'
import type { AccountSession } from '../api'
import { POLICY } from '../onboarding'
import { OnboardingSteps, useAccountBundles } from '../components/OnboardingSteps'

export function DirectWizard({ session }: { session: AccountSession }) {
  // The account the pages act in (the switcher's): its own bundles, whoever signed in.
  const account = session.parent_account_sid ? session.account_sid : ''
  const { data, error, reload } = useAccountBundles(account)
  return (
    <Stack maw={960}>
      <Title order={2}>Direct customer onboarding</Title>
      <Text c="dimmed">
        For businesses whose own staff place the calls. Each step shows what has been sent; what you type is kept in
        this browser until you submit it.
      </Text>
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      {!data ? (
        <Loader aria-label="Loading your onboarding" />
      ) : (
        <OnboardingSteps
          bundles={data}
          reload={reload}
          accountSid={session.account_sid}
          account={account}
          policy={POLICY.PRIMARY_PROFILE}
          identity="direct_customer"
          idPrefix="direct"
        />
      )}
    </Stack>
  )
}
