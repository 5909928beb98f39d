/**
 * ISV / reseller onboarding: the ISV's own primary profile (isv_reseller_or_partner), then per
 * end customer — optionally in a new sub-account — a secondary profile linked to it, its trust
 * product and its numbers; with the list of customers and each one's state.
 */
import { useState } from 'react'
import { Alert, Badge, Button, Card, Checkbox, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core'
import { api, type AccountSession } from '../api'
import { useDraft } from '../drafts'
import { emptyProfile, POLICY, type ProfileDraft } from '../onboarding'
import { ProfileWizard } from '../components/ProfileWizard'
import { TrustProductStep } from '../components/TrustProductStep'
import { NumberAssign } from '../components/NumberAssign'
import { useBundleStatus } from '../components/useBundleStatus'
import { STATUS_COLOR, STATUS_WORDS } from '../words'

type Stage = 'profile' | 'trust' | 'numbers'
interface Customer extends ProfileDraft {
  readonly id: string
  readonly name: string
  readonly subAccount?: string
  readonly stage: Stage
}
interface Draft extends ProfileDraft {
  readonly stage: 'profile' | 'customers'
  readonly customers: readonly Customer[]
  readonly open?: string
}

export function IsvWizard({ session }: { session: AccountSession }) {
  const [d, save] = useDraft<Draft>(session.account_sid, 'isv', {
    ...emptyProfile('isv_reseller_or_partner'),
    stage: 'profile',
    customers: [],
  })
  const cust = (id: string) => (f: (c: Customer) => Customer) =>
    save((x) => ({ ...x, customers: x.customers.map((c) => (c.id === id ? f(c) : c)) }))
  const open = d.customers.find((c) => c.id === d.open)
  return (
    <Stack maw={960}>
      <Title order={2}>ISV / reseller onboarding</Title>
      <Text c="dimmed">For platforms whose customers place the calls. Your progress is saved as you go.</Text>
      <Card withBorder>
        <Title order={3} size="h4" mb="sm">
          1. Your own (primary) business profile
        </Title>
        {d.stage === 'profile' ? (
          <ProfileWizard
            draft={d}
            save={save as any}
            idPrefix="isv"
            locked={['business_identity']}
            target={{ accountSid: session.account_sid, policy: POLICY.PRIMARY_PROFILE }}
            onSubmitted={() => save((x) => ({ ...x, stage: 'customers' }))}
          />
        ) : (
          <Alert color="green" title="Primary profile submitted">
            Profile {d.sids.profile}. Add your customers below.
          </Alert>
        )}
      </Card>
      {d.stage === 'customers' && (
        <Card withBorder>
          <Title order={3} size="h4" mb="sm">
            2. Your customers
          </Title>
          <CustomerList customers={d.customers} onOpen={(id) => save((x) => ({ ...x, open: id }))} />
          <AddCustomer
            session={session}
            onAdded={(c) => save((x) => ({ ...x, customers: [...x.customers, c], open: c.id }))}
          />
        </Card>
      )}
      {open && d.sids.profile && (
        <CustomerFlow session={session} c={open} primary={d.sids.profile} update={cust(open.id)} />
      )}
    </Stack>
  )
}

function CustomerList({ customers, onOpen }: { customers: readonly Customer[]; onOpen: (id: string) => void }) {
  if (!customers.length)
    return (
      <Text c="dimmed" mb="sm">
        No customers yet.
      </Text>
    )
  return (
    <Table aria-label="Customers" mb="md">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Customer</Table.Th>
          <Table.Th>Account</Table.Th>
          <Table.Th>Profile</Table.Th>
          <Table.Th>Trust product</Table.Th>
          <Table.Th />
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {customers.map((c) => (
          <CustomerRow key={c.id} c={c} onOpen={() => onOpen(c.id)} />
        ))}
      </Table.Tbody>
    </Table>
  )
}

function CustomerRow({ c, onOpen }: { c: Customer; onOpen: () => void }) {
  const profile = useBundleStatus('CustomerProfiles', c.sids.profile, c.subAccount)
  const tp = useBundleStatus('TrustProducts', c.sids.trustProduct, c.subAccount)
  const badge = (s?: string) => (
    <Badge color={STATUS_COLOR[s ?? ''] ?? 'gray'}>{s ? (STATUS_WORDS[s] ?? s) : 'not started'}</Badge>
  )
  return (
    <Table.Tr>
      <Table.Td>{c.name}</Table.Td>
      <Table.Td>
        {c.subAccount ? (
          <Text size="xs" ff="monospace">
            {c.subAccount}
          </Text>
        ) : (
          'this account'
        )}
      </Table.Td>
      <Table.Td>{badge(profile)}</Table.Td>
      <Table.Td>{badge(tp)}</Table.Td>
      <Table.Td>
        <Button size="xs" variant="light" onClick={onOpen}>
          Open
        </Button>
      </Table.Td>
    </Table.Tr>
  )
}

function AddCustomer({ session, onAdded }: { session: AccountSession; onAdded: (c: Customer) => void }) {
  const [name, setName] = useState('')
  const [sub, setSub] = useState(true)
  const [error, setError] = useState('')
  const add = async () => {
    setError('')
    try {
      const subAccount = sub
        ? ((await api('POST', '/2010-04-01/Accounts.json', { form: { FriendlyName: name } })).sid as string)
        : undefined
      onAdded({
        ...emptyProfile('direct_customer'),
        id: crypto.randomUUID(),
        name,
        subAccount,
        stage: 'profile',
        business: {
          business_identity: 'direct_customer',
          business_registration_identifier: 'EIN',
          business_name: name,
        },
      })
      setName('')
    } catch (e) {
      setError((e as Error).message)
    }
  }
  return (
    <Stack gap="xs">
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      <Group align="end">
        <TextInput label="Customer business name" value={name} onChange={(e) => setName(e.currentTarget.value)} />
        <Checkbox label="In a new sub-account" checked={sub} onChange={(e) => setSub(e.currentTarget.checked)} mb={8} />
        <Button onClick={add} disabled={!name.trim()}>
          Add customer
        </Button>
      </Group>
    </Stack>
  )
}

function CustomerFlow({
  session,
  c,
  primary,
  update,
}: {
  session: AccountSession
  c: Customer
  primary: string
  update: (f: (c: Customer) => Customer) => void
}) {
  const save = (f: (d: ProfileDraft) => ProfileDraft) => update((x) => ({ ...x, ...f(x) }))
  return (
    <Card withBorder>
      <Title order={3} size="h4" mb="sm">
        Customer: {c.name}
      </Title>
      {c.stage === 'profile' && (
        <ProfileWizard
          draft={c}
          save={save}
          idPrefix={`cust-${c.id.slice(0, 8)}`}
          locked={['business_identity']}
          target={{
            accountSid: session.account_sid,
            actAs: c.subAccount,
            policy: POLICY.SECONDARY_PROFILE,
            primaryProfile: primary,
          }}
          onSubmitted={() => update((x) => ({ ...x, stage: 'trust' }))}
        />
      )}
      {c.stage === 'trust' && (
        <TrustProductStep
          profile={c.sids.profile!}
          name={c.name}
          email={c.email || c.rep.email || ''}
          existing={c.sids.trustProduct}
          account={c.subAccount}
          remember={(sid) => update((x) => ({ ...x, sids: { ...x.sids, trustProduct: sid } }))}
          onSubmitted={() => update((x) => ({ ...x, stage: 'numbers' }))}
        />
      )}
      {c.stage === 'numbers' && (
        <NumberAssign
          accountSid={c.subAccount ?? session.account_sid}
          account={c.subAccount}
          profile={c.sids.profile!}
          trustProduct={c.sids.trustProduct}
        />
      )}
    </Card>
  )
}
