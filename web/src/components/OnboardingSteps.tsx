/**
 * The steps of one account's onboarding, each derived from what the server holds: the
 * business profile (a form while there is none, or a draft or rejected one; its status once
 * sent), the SHAKEN/STIR trust product, then numbers. Every action reads the state again.
 */
import { useEffect, useState } from 'react'
import { Alert, Anchor, Card, Loader, Stack, Text, Title } from '@mantine/core'
import { explainRejection, STATUS_COLOR, STATUS_WORDS } from '../words'
import { navigate } from '../router'
import type { ProfileForm } from '../checks'
import {
  furthest,
  isSent,
  loadBundles,
  loadParts,
  POLICY,
  type AccountBundles,
  type Bundle,
  type ProfileParts,
} from '../onboarding'
import { ProfileWizard } from './ProfileWizard'
import { TrustProductStep } from './TrustProductStep'
import { NumberAssign } from './NumberAssign'

/** The bundles of `account` ('' = the signed-in account), read again by `reload()`. */
export function useAccountBundles(account: string) {
  const [data, setData] = useState<AccountBundles>()
  const [error, setError] = useState('')
  const [n, setN] = useState(0)
  useEffect(() => {
    loadBundles(account)
      .then((d) => {
        setData(d)
        setError('')
      })
      .catch((e) => setError((e as Error).message))
  }, [account, n])
  return { data, error, reload: () => setN((x) => x + 1) }
}

/** A date the API sent (RFC 2822), in the reader's locale. */
export const localDate = (v: string) => new Date(v).toLocaleDateString()

/** A sent bundle's status in words, when it was sent, and a link to it. */
function BundleState({ b, what, link }: { b: Bundle; what: string; link: boolean }) {
  return (
    <Alert color={STATUS_COLOR[b.status] ?? 'gray'} title={`${what}: ${STATUS_WORDS[b.status] ?? b.status}`}>
      <Text size="sm">
        {b.friendly_name}, {b.status === 'twilio-approved' ? 'approved' : 'submitted'} {localDate(b.date_updated)}.{' '}
        {link && (
          <Anchor
            c="inherit"
            underline="always"
            href={`/console/bundles/${b.sid}`}
            onClick={(e) => {
              e.preventDefault()
              navigate(`/bundles/${b.sid}`)
            }}
          >
            Open {what.toLowerCase()}
          </Anchor>
        )}
      </Text>
    </Alert>
  )
}

/** The server's objects of a draft or rejected profile, read once per profile. */
function useParts(profile: Bundle | undefined, accountSid: string, account: string) {
  const [parts, setParts] = useState<ProfileParts | undefined>(profile ? undefined : { assigned: [] })
  const [error, setError] = useState('')
  useEffect(() => {
    if (!profile) return setParts((old) => old ?? { assigned: [] })
    loadParts(profile, accountSid, account)
      .then(setParts)
      .catch((e) => setError((e as Error).message))
  }, [profile?.sid, profile?.status, accountSid, account])
  return { parts, error }
}

export interface ProfileStepProps {
  readonly profile: Bundle | undefined
  /** The account onboarded, and '' or its SID for X-Stirhub-Account. */
  readonly accountSid: string
  readonly account: string
  readonly policy: string
  readonly identity: string
  readonly primaryProfile?: string
  readonly blocked?: string
  readonly idPrefix: string
  readonly onChanged: () => void
}

/** The business profile: the wizard until it is sent, then its status. */
export function ProfileStep(p: ProfileStepProps) {
  const { parts, error } = useParts(isSent(p.profile) ? undefined : p.profile, p.accountSid, p.account)
  if (isSent(p.profile)) return <BundleState b={p.profile!} what="Business profile" link={p.account === ''} />
  if (error)
    return (
      <Alert color="red" role="alert">
        {error}
      </Alert>
    )
  if (!parts) return <Loader size="sm" aria-label="Loading the profile" />
  const blank: ProfileForm = {
    business: { business_identity: p.identity, business_registration_identifier: 'EIN' },
    rep: {},
    address: { iso_country: 'US' },
    email: '',
  }
  return (
    <Stack>
      {p.profile?.status === 'twilio-rejected' && (
        <Alert color="red" title="Rejected: edit and resubmit">
          {(p.profile.errors ?? []).map((e) => (
            <Text key={e.code} size="sm">
              {explainRejection(e.code)}
            </Text>
          ))}
        </Alert>
      )}
      <ProfileWizard
        parts={parts}
        blank={blank}
        draftKey={`${p.idPrefix}.profile`}
        locked={['business_identity']}
        idPrefix={p.idPrefix}
        blocked={p.blocked}
        target={{ accountSid: p.accountSid, account: p.account, policy: p.policy, primaryProfile: p.primaryProfile }}
        onChanged={p.onChanged}
      />
    </Stack>
  )
}

export interface OnboardingStepsProps extends Omit<ProfileStepProps, 'profile' | 'onChanged'> {
  readonly bundles: AccountBundles
  readonly reload: () => void
  /** Heading level of the step titles. */
  readonly order?: 3 | 4
}

/** Profile → trust product → numbers, as three cards. */
export function OnboardingSteps(p: OnboardingStepsProps) {
  const profile = furthest(p.bundles.profiles, p.policy)
  const tp = furthest(p.bundles.trustProducts, POLICY.SHAKEN_STIR)
  const link = p.account === ''
  const title = (t: string) => (
    <Title order={p.order ?? 3} size="h4" mb="sm">
      {t}
    </Title>
  )
  return (
    <>
      <Card withBorder>
        {title('1. Business profile')}
        <ProfileStep
          profile={profile}
          accountSid={p.accountSid}
          account={p.account}
          policy={p.policy}
          identity={p.identity}
          primaryProfile={p.primaryProfile}
          blocked={p.blocked}
          idPrefix={p.idPrefix}
          onChanged={p.reload}
        />
      </Card>
      <Card withBorder>
        {title('2. SHAKEN/STIR trust product')}
        {!isSent(profile) ? (
          <Text c="dimmed">After the profile.</Text>
        ) : isSent(tp) ? (
          <BundleState b={tp!} what="Trust product" link={link} />
        ) : tp?.status === 'twilio-rejected' ? (
          <BundleState b={tp} what="Trust product" link />
        ) : (
          <TrustProductStep
            profile={profile!.sid}
            profileName={`the business profile ${profile!.friendly_name}`}
            name={profile!.friendly_name}
            email={profile!.email}
            existing={tp?.sid}
            account={p.account}
            onChanged={p.reload}
          />
        )}
      </Card>
      <Card withBorder>
        {title('3. Phone numbers')}
        {isSent(tp) ? (
          <NumberAssign accountSid={p.accountSid} account={p.account} profile={profile!.sid} trustProduct={tp!.sid} />
        ) : (
          <Text c="dimmed">After the trust product.</Text>
        )}
      </Card>
    </>
  )
}
