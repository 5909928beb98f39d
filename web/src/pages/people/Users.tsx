/**
 * The account's users, for its owners: invite a person (mailed; without mail, the link shown
 * once to hand over), change a role, remove someone, and require two-factor of everyone.
 */
import { useEffect, useState } from 'react'
import { Alert, Button, Card, Group, NativeSelect, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core'
import { api } from '../../api'
import { ConfirmDialog, ListTable, LoadError, localDate, TokenOnce, type Pending } from '../operator/common'

interface User {
  readonly sid: string
  readonly email: string
  readonly role: string
  readonly two_factor: boolean
  readonly date_created: string
}
interface Invitation {
  readonly email: string
  readonly role: string
  readonly expires_at: string
}

const ROLES = [
  { value: 'owner', label: 'Owner: users, settings, API keys, everything' },
  { value: 'compliance', label: 'Compliance: profiles, trust products, hosted numbers' },
  { value: 'developer', label: 'Developer: numbers, assignments, API keys' },
  { value: 'read-only', label: 'Read-only' },
]

export function Users({ me }: { me: string }) {
  const [list, setList] = useState<{ users: User[]; invitations: Invitation[]; mail: string } | undefined>()
  const [strict, setStrict] = useState<boolean | undefined>()
  const [error, setError] = useState<unknown>()
  const [tick, setTick] = useState(0)
  const [email, setEmail] = useState('')
  const [role, setRole] = useState('developer')
  const [inviteError, setInviteError] = useState('')
  const [notice, setNotice] = useState('')
  const [link, setLink] = useState<{ email: string; link: string } | null>(null)
  const [pending, setPending] = useState<Pending | null>(null)
  useEffect(() => {
    api('GET', '/console/api/users').then(setList).catch(setError)
    api<{ require_two_factor: boolean }>('GET', '/console/api/account-security')
      .then((r) => setStrict(r.require_two_factor))
      .catch(setError)
  }, [tick])
  const reload = () => setTick((t) => t + 1)
  const invite = async () => {
    setInviteError('')
    setNotice('')
    try {
      const r = await api<{ email: string; sent: boolean; link?: string }>('POST', '/console/api/invitations', {
        json: { Email: email.trim(), Role: role },
      })
      if (r.link) setLink({ email: r.email, link: r.link })
      else setNotice(`Invitation mailed to ${r.email}.`)
      setEmail('')
      reload()
    } catch (e) {
      setInviteError((e as Error).message)
    }
  }
  const changeRole = async (u: User, to: string) => {
    try {
      await api('POST', `/console/api/users/${u.sid}`, { json: { Role: to } })
      setNotice(`${u.email} is now ${to}.`)
    } catch (e) {
      setInviteError((e as Error).message)
    }
    reload()
  }
  const remove = (u: User) =>
    setPending({
      title: `Remove ${u.email}?`,
      consequence: `${u.email} is signed out everywhere at once and can no longer sign in. Their past changes stay in the audit log.`,
      confirm: 'Remove',
      danger: true,
      run: async () => {
        await api('DELETE', `/console/api/users/${u.sid}`)
        reload()
      },
    })
  const setRequirement = async (on: boolean) => {
    await api('POST', '/console/api/account-security', { json: { RequireTwoFactor: on } })
    reload()
  }
  return (
    <Stack maw={1100}>
      <Title order={2}>Users</Title>
      {link && (
        <TokenOnce
          title={`Invitation link for ${link.email}`}
          token={link.link}
          who={link.email}
          lost="If it is lost, invite them again."
          onDone={() => setLink(null)}
        />
      )}
      {notice && (
        <Alert color="green" role="status">
          {notice}
        </Alert>
      )}
      <Card withBorder>
        <form
          onSubmit={(e) => {
            e.preventDefault()
            void invite()
          }}
        >
          <Stack gap="xs">
            <Title order={3} size="h4">
              Invite a person
            </Title>
            {list?.mail === 'not-configured' && (
              <Text size="sm" c="dimmed">
                Email is not configured: no notifications are sent. The invitation link is shown here once, for you to
                hand over.
              </Text>
            )}
            <Group align="end" gap="xs">
              <TextInput
                label="Email"
                type="email"
                required
                value={email}
                onChange={(e) => setEmail(e.currentTarget.value)}
              />
              <NativeSelect label="Role" data={ROLES} value={role} onChange={(e) => setRole(e.currentTarget.value)} />
              <Button type="submit" disabled={!email.trim()}>
                Invite
              </Button>
            </Group>
            {inviteError && (
              <Alert color="red" role="alert">
                {inviteError}
              </Alert>
            )}
          </Stack>
        </form>
      </Card>
      <LoadError error={error} what="The users page" />
      <Card withBorder>
        <Switch
          label="Require two-factor of every user"
          description="Users without it must enrol before they can do anything else"
          checked={strict ?? false}
          disabled={strict === undefined}
          onChange={(e) => void setRequirement(e.currentTarget.checked)}
        />
      </Card>
      <ListTable
        label="Users"
        minWidth={640}
        headers={['User', 'Role', 'Two-factor', 'Joined', 'Actions']}
        rows={list?.users}
        empty="No users yet: invite one above."
      >
        {(list?.users ?? []).map((u) => (
          <Table.Tr key={u.sid} data-sid={u.sid}>
            <Table.Td>
              <Text size="sm" fw={600}>
                {u.email}
              </Text>
            </Table.Td>
            <Table.Td>
              <NativeSelect
                aria-label={`Role of ${u.email}`}
                data={ROLES.map((r) => ({ value: r.value, label: r.value }))}
                value={u.role}
                onChange={(e) => void changeRole(u, e.currentTarget.value)}
              />
            </Table.Td>
            <Table.Td>{u.two_factor ? 'On' : 'Off'}</Table.Td>
            <Table.Td>{localDate(u.date_created)}</Table.Td>
            <Table.Td>
              {u.sid !== me && (
                <Button size="compact-sm" variant="light" color="red" onClick={() => remove(u)}>
                  Remove
                </Button>
              )}
            </Table.Td>
          </Table.Tr>
        ))}
      </ListTable>
      {(list?.invitations.length ?? 0) > 0 && (
        <ListTable
          label="Open invitations"
          minWidth={480}
          headers={['Email', 'Role', 'Expires']}
          rows={list?.invitations}
          empty=""
        >
          {(list?.invitations ?? []).map((i) => (
            <Table.Tr key={`${i.email}-${i.expires_at}`}>
              <Table.Td>{i.email}</Table.Td>
              <Table.Td>{i.role}</Table.Td>
              <Table.Td>{localDate(i.expires_at)}</Table.Td>
            </Table.Tr>
          ))}
        </ListTable>
      )}
      <ConfirmDialog pending={pending} onClose={() => setPending(null)} />
    </Stack>
  )
}
