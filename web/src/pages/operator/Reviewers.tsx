/** Reviewers: add one (its token shown once), rotate a token (the new one shown once), disable or enable. */
import { useEffect, useState } from 'react'
import { Alert, Badge, Button, Card, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core'
import { api } from '../../api'
import { ConfirmDialog, ListTable, LoadError, localDate, TokenOnce, type Pending } from './common'

interface Reviewer {
  readonly sid: string
  readonly name: string
  readonly email: string
  readonly status: 'active' | 'disabled'
  readonly date_created: string
}

const STATUS: Record<Reviewer['status'], { word: string; color: string }> = {
  active: { word: 'Active', color: 'green' },
  disabled: { word: 'Disabled', color: 'gray' },
}

export function Reviewers() {
  const [rows, setRows] = useState<Reviewer[] | undefined>()
  const [error, setError] = useState<unknown>()
  const [tick, setTick] = useState(0)
  const [name, setName] = useState('')
  const [email, setEmail] = useState('')
  const [addError, setAddError] = useState('')
  const [shown, setShown] = useState<{ name: string; token: string } | null>(null)
  const [pending, setPending] = useState<Pending | null>(null)
  useEffect(() => {
    api<{ results: Reviewer[] }>('GET', '/admin/v1/Reviewers')
      .then((r) => setRows(r.results))
      .catch(setError)
  }, [tick])
  const reload = () => setTick((t) => t + 1)
  const add = async () => {
    setAddError('')
    try {
      const r = await api<{ name: string; token: string }>('POST', '/admin/v1/Reviewers', {
        json: { Name: name.trim(), Email: email.trim() },
      })
      setShown({ name: r.name, token: r.token })
      setName('')
      setEmail('')
      reload()
    } catch (e) {
      setAddError((e as Error).message)
    }
  }
  const rotate = (r: Reviewer) =>
    setPending({
      title: `Rotate ${r.name}'s token?`,
      consequence: `${r.name}'s current token stops working at once, in every server, and their console session ends. The new token is shown once.`,
      confirm: 'Rotate token',
      danger: true,
      run: async () => {
        const res = await api<{ name: string; token: string }>('POST', `/admin/v1/Reviewers/${r.sid}/Token`)
        setShown({ name: res.name, token: res.token })
        reload()
      },
    })
  const setStatus = (r: Reviewer, to: Reviewer['status']) =>
    setPending({
      title: to === 'disabled' ? `Disable ${r.name}?` : `Enable ${r.name}?`,
      consequence:
        to === 'disabled'
          ? `${r.name}'s token is refused from the next request and their console session ends. Their decisions stay in the audit log; you can enable them again.`
          : `${r.name}'s token works again from the next request.`,
      confirm: to === 'disabled' ? 'Disable' : 'Enable',
      danger: to === 'disabled',
      run: async () => {
        await api('POST', `/admin/v1/Reviewers/${r.sid}`, { json: { Status: to } })
        reload()
      },
    })
  return (
    <Stack maw={1100}>
      <Title order={2}>Reviewers</Title>
      {shown && (
        <TokenOnce
          title={`${shown.name}'s new token`}
          token={shown.token}
          who={shown.name}
          onDone={() => setShown(null)}
        />
      )}
      <Card withBorder>
        <form
          onSubmit={(e) => {
            e.preventDefault()
            void add()
          }}
        >
          <Stack gap="xs">
            <Title order={3} size="h4">
              Add a reviewer
            </Title>
            <Group align="end" gap="xs">
              <TextInput label="Name" required value={name} onChange={(e) => setName(e.currentTarget.value)} />
              <TextInput
                label="Email"
                type="email"
                required
                value={email}
                onChange={(e) => setEmail(e.currentTarget.value)}
              />
              <Button type="submit" disabled={!name.trim() || !email.trim()}>
                Add reviewer
              </Button>
            </Group>
            {addError && (
              <Alert color="red" role="alert">
                {addError}
              </Alert>
            )}
          </Stack>
        </form>
      </Card>
      <LoadError error={error} what="The reviewers page" />
      <ListTable
        label="Reviewers"
        minWidth={600}
        headers={['Reviewer', 'Status', 'Added', 'Actions']}
        rows={rows}
        empty="No reviewers yet: add one above."
      >
        {(rows ?? []).map((r) => (
          <Table.Tr key={r.sid} data-sid={r.sid}>
            <Table.Td>
              <Text size="sm" fw={600}>
                {r.name}
              </Text>
              <Text size="xs" c="dimmed">
                {r.email}
              </Text>
            </Table.Td>
            <Table.Td>
              <Badge variant="light" color={STATUS[r.status].color}>
                {STATUS[r.status].word}
              </Badge>
            </Table.Td>
            <Table.Td>{localDate(r.date_created)}</Table.Td>
            <Table.Td>
              <Group gap={4} wrap="nowrap">
                {r.status === 'active' && (
                  <Button
                    size="compact-sm"
                    variant="light"
                    onClick={() => rotate(r)}
                    aria-label={`Rotate token for ${r.name}`}
                  >
                    Rotate token
                  </Button>
                )}
                <Button
                  size="compact-sm"
                  variant="light"
                  color={r.status === 'active' ? 'red' : undefined}
                  onClick={() => setStatus(r, r.status === 'active' ? 'disabled' : 'active')}
                  aria-label={`${r.status === 'active' ? 'Disable' : 'Enable'} ${r.name}`}
                >
                  {r.status === 'active' ? 'Disable' : 'Enable'}
                </Button>
              </Group>
            </Table.Td>
          </Table.Tr>
        ))}
      </ListTable>
      <ConfirmDialog pending={pending} onClose={() => setPending(null)} />
    </Stack>
  )
}
