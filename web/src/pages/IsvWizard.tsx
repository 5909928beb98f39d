/**
 * ISV / reseller onboarding: the ISV's own primary profile (isv_reseller_or_partner), then per
 * end customer, each in its own sub-account, a secondary profile linked to it, its trust
 * product and its numbers. Everything shown is read from the server (the ISV's bundles, its
 * sub-accounts and theirs); a customer can be drafted before the ISV's profile is approved,
 * and is submitted once it is.
 */
import { useEffect, useState } from 'react'
import { Alert, Button, Card, Group, Loader, Stack, Text, TextInput, Title } from '@mantine/core'
import { api, type AccountSession } from '../api'
import { furthest, POLICY, type Bundle } from '../onboarding'
import { localDate, OnboardingSteps, ProfileStep, useAccountBundles } from '../components/OnboardingSteps'
import { CustomersTable, type SubAccount } from '../components/CustomersTable'
import { useActing } from '../acting'
import { navigate } from '../router'

/** Why a customer's profile cannot be submitted yet, if it cannot. */
function waitingFor(primary: Bundle | undefined): string | undefined {
  if (primary?.status === 'twilio-approved') return undefined
  if (!primary || primary.status === 'draft') return 'Waiting for your primary profile: submit it first (step 1).'
  if (primary.status === 'twilio-rejected')
    return 'Waiting for your primary profile: it was rejected; edit and resubmit it first (step 1).'
  return `Waiting for your primary profile, submitted ${localDate(primary.date_updated)}.`
}

const customerInUrl = () => new URLSearchParams(location.search).get('customer') ?? undefined

export function IsvWizard({ session }: { session: AccountSession }) {
  const own = useAccountBundles('')
  const acting = useActing()
  const [version, setVersion] = useState(0)
  const [open, setOpen] = useState<SubAccount | undefined>()
  const refresh = () => {
    own.reload()
    setVersion((v) => v + 1)
  }
  // A link from the customers page names the customer to continue with.
  useEffect(() => {
    const sid = customerInUrl()
    if (!sid || open?.sid === sid) return
    api<{ sub_accounts: SubAccount[] }>('GET', '/console/api/sub-accounts', { query: { Search: sid }, account: '' })
      .then((r) => r.sub_accounts[0] && setOpen(r.sub_accounts[0]))
      .catch(() => undefined)
  }, [])
  const primary = own.data && furthest(own.data.profiles, POLICY.PRIMARY_PROFILE)
  const choose = (a: SubAccount) => {
    // Opening a customer reads everything again: the ISV's own profile may have been decided since.
    refresh()
    setOpen(a)
    history.replaceState(null, '', `/console/onboarding/isv?customer=${a.sid}`)
  }
  return (
    <Stack maw={1100}>
      <Title order={2}>ISV / reseller onboarding</Title>
      <Text c="dimmed">
        For platforms whose customers place the calls. Each step shows what has been sent; what you type is kept in this
        browser until you submit it.
      </Text>
      {own.error && (
        <Alert color="red" role="alert">
          {own.error}
        </Alert>
      )}
      <Card withBorder>
        <Title order={3} size="h4" mb="sm">
          1. Your own (primary) business profile
        </Title>
        {!own.data ? (
          <Loader size="sm" aria-label="Loading your profile" />
        ) : (
          <ProfileStep
            profile={primary}
            accountSid={session.account_sid}
            account=""
            policy={POLICY.PRIMARY_PROFILE}
            identity="isv_reseller_or_partner"
            idPrefix="isv"
            onChanged={refresh}
          />
        )}
      </Card>
      <Card withBorder>
        <Title order={3} size="h4" mb="sm">
          2. Your customers
        </Title>
        <Stack>
          <AddCustomer onAdded={choose} />
          <CustomersTable
            version={version}
            actions={{ onContinue: choose, onActAs: (a, then) => acting.actAs(a, then ?? '/') }}
          />
        </Stack>
      </Card>
      {open && own.data && <CustomerFlow key={open.sid} customer={open} primary={primary} onChanged={refresh} />}
    </Stack>
  )
}

function AddCustomer({ onAdded }: { onAdded: (a: SubAccount) => void }) {
  const [name, setName] = useState('')
  const [error, setError] = useState('')
  const add = async () => {
    setError('')
    try {
      const a = await api('POST', '/2010-04-01/Accounts.json', { form: { FriendlyName: name.trim() }, account: '' })
      onAdded({ sid: a.sid, friendly_name: a.friendly_name, status: a.status })
      setName('')
    } catch (e) {
      setError((e as Error).message)
    }
  }
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault()
        void add()
      }}
    >
      {error && (
        <Alert color="red" role="alert" mb="xs">
          {error}
        </Alert>
      )}
      <Group align="end">
        <TextInput
          label="Customer business name"
          description="Each customer gets its own sub-account"
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
        />
        <Button type="submit" disabled={!name.trim()}>
          Add customer
        </Button>
      </Group>
    </form>
  )
}

/** One customer's steps, in its sub-account, read from the server. */
function CustomerFlow(p: { customer: SubAccount; primary: Bundle | undefined; onChanged: () => void }) {
  const { data, error, reload } = useAccountBundles(p.customer.sid)
  const changed = () => {
    reload()
    p.onChanged()
  }
  return (
    <Stack aria-label={`Customer ${p.customer.friendly_name}`} role="region">
      <Group justify="space-between">
        <Title order={3}>Customer: {p.customer.friendly_name}</Title>
        <Button variant="subtle" size="xs" onClick={() => navigate('/customers')}>
          All customers
        </Button>
      </Group>
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      {!data ? (
        <Loader size="sm" aria-label="Loading the customer" />
      ) : (
        <OnboardingSteps
          bundles={data}
          reload={changed}
          accountSid={p.customer.sid}
          account={p.customer.sid}
          policy={POLICY.SECONDARY_PROFILE}
          identity="direct_customer"
          primaryProfile={p.primary?.sid}
          blocked={waitingFor(p.primary)}
          idPrefix={`cust-${p.customer.sid.slice(-8)}`}
          order={4}
        />
      )}
    </Stack>
  )
}
