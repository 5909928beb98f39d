/** The operator's accounts: search by name or SID, filter by status, suspend and reactivate with the consequence said first. */
import { useState } from 'react'
import { Badge, Button, Group, Modal, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core'
import { api } from '../../api'
import {
  ConfirmDialog,
  DialogActions,
  DoneNotice,
  ListTable,
  LoadError,
  localDate,
  Pager,
  TokenOnce,
  usePagedList,
  type Pending,
} from './common'

interface Account {
  readonly sid: string
  readonly friendly_name: string
  readonly status: 'active' | 'suspended' | 'closed'
  readonly parent_account_sid: string | null
  readonly parent_friendly_name: string | null
  readonly sub_accounts: number
  readonly date_created: string
}

const STATUS: Record<Account['status'], { word: string; color: string }> = {
  active: { word: 'Active', color: 'green' },
  suspended: { word: 'Suspended', color: 'orange' },
  closed: { word: 'Closed', color: 'gray' },
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`

/** What suspending or reactivating does, in the words of the README's "Taking access back". */
function consequence(a: Account, to: 'suspended' | 'active') {
  const subs = a.sub_accounts
    ? ` Its ${plural(a.sub_accounts, 'sub-account')} ${to === 'suspended' ? 'are suspended with it while it lasts' : 'get back their own status'}.`
    : ''
  return to === 'suspended'
    ? `${a.friendly_name} is refused at once in every server: its API credentials get "forbidden", its calls are no longer signed (signing requests are refused, over HTTP and SIP), and its console sessions end.${subs} You can reactivate it later.`
    : `${a.friendly_name} can use its credentials again and its calls are signed again from the next request.${subs}`
}

/** A new top-level account (the dialog's form); its auth token comes back once. */
function NewAccount({ onCreated, onClose }: { onCreated: (a: Created) => void; onClose: () => void }) {
  const [name, setName] = useState('')
  const [error, setError] = useState('')
  return (
    <form
      onSubmit={async (e) => {
        e.preventDefault()
        try {
          onCreated(await api<Created>('POST', '/admin/v1/Accounts', { json: { FriendlyName: name.trim() } }))
        } catch (err) {
          setError((err as Error).message)
        }
      }}
    >
      <Stack>
        <TextInput label="Name" required value={name} onChange={(e) => setName(e.currentTarget.value)} />
        <DialogActions error={error} onCancel={onClose}>
          <Button type="submit" disabled={!name.trim()}>
            Create account
          </Button>
        </DialogActions>
      </Stack>
    </form>
  )
}

interface Created {
  readonly sid: string
  readonly friendly_name: string
  readonly auth_token: string
}

export function Accounts() {
  const [text, setText] = useState('')
  const [filters, setFilters] = useState<{ Search?: string; Status?: string }>({})
  const list = usePagedList<Account>('/admin/v1/Accounts', filters)
  const [pending, setPending] = useState<Pending | null>(null)
  const [done, setDone] = useState('')
  const [creating, setCreating] = useState(false)
  const [created, setCreated] = useState<Created | null>(null)
  const change = (a: Account, to: 'suspended' | 'active') =>
    setPending({
      title: to === 'suspended' ? `Suspend ${a.friendly_name}?` : `Reactivate ${a.friendly_name}?`,
      consequence: consequence(a, to),
      confirm: to === 'suspended' ? 'Suspend' : 'Reactivate',
      danger: to === 'suspended',
      run: async () => {
        await api('POST', `/admin/v1/Accounts/${a.sid}`, { json: { Status: to } })
        setDone(`${a.friendly_name} ${to === 'suspended' ? 'suspended' : 'reactivated'}.`)
        list.reload()
      },
    })
  return (
    <Stack maw={1100}>
      <Group justify="space-between">
        <Title order={2}>Accounts</Title>
        <Button onClick={() => setCreating(true)}>New account</Button>
      </Group>
      {created && (
        <TokenOnce
          title={`${created.friendly_name}: account ${created.sid} created`}
          token={created.auth_token}
          who="the account's owner"
          lost={`They sign in with the Account SID ${created.sid} and this auth token, and can replace it themselves later.`}
          onDone={() => setCreated(null)}
        />
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault()
          setFilters((f) => ({ ...f, Search: text.trim() || undefined }))
        }}
      >
        <Group align="end" gap="xs">
          <TextInput
            label="Search"
            description="Name, or the start of a SID"
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
          />
          <Select
            label="Status"
            data={[
              { value: '', label: 'Any status' },
              ...Object.entries(STATUS).map(([value, s]) => ({ value, label: s.word })),
            ]}
            value={filters.Status ?? ''}
            onChange={(v) => setFilters((f) => ({ ...f, Status: v || undefined }))}
            allowDeselect={false}
            w={160}
          />
          <Button type="submit">Search</Button>
        </Group>
      </form>
      <DoneNotice done={done} onDismiss={() => setDone('')} />
      <LoadError error={list.error} what="The accounts page" />
      <ListTable
        label="Accounts"
        minWidth={640}
        headers={['Account', 'Status', 'Sub-accounts', 'Created', 'Action']}
        rows={list.rows}
        empty="No account matches."
      >
        {(list.rows ?? []).map((a) => (
          <Table.Tr key={a.sid} data-sid={a.sid}>
            <Table.Td>
              <Text size="sm" fw={600}>
                {a.friendly_name}
              </Text>
              {a.parent_account_sid && (
                <Text size="xs" c="dimmed">
                  Sub-account of {a.parent_friendly_name ?? a.parent_account_sid}
                </Text>
              )}
              <Text size="xs" c="dimmed" ff="monospace">
                {a.sid}
              </Text>
            </Table.Td>
            <Table.Td>
              <Badge color={STATUS[a.status].color} variant="light">
                {STATUS[a.status].word}
              </Badge>
            </Table.Td>
            <Table.Td>{a.sub_accounts || '—'}</Table.Td>
            <Table.Td>{localDate(a.date_created)}</Table.Td>
            <Table.Td>
              {a.status === 'active' && (
                <Button size="compact-sm" variant="light" color="red" onClick={() => change(a, 'suspended')}>
                  Suspend
                </Button>
              )}
              {a.status === 'suspended' && (
                <Button size="compact-sm" variant="light" onClick={() => change(a, 'active')}>
                  Reactivate
                </Button>
              )}
              {a.status === 'closed' && (
                <Text size="xs" c="dimmed">
                  Closed for good
                </Text>
              )}
            </Table.Td>
          </Table.Tr>
        ))}
      </ListTable>
      <Pager {...list} />
      <ConfirmDialog pending={pending} onClose={() => setPending(null)} />
      <Modal
        opened={creating}
        onClose={() => setCreating(false)}
        title="New account"
        centered
        closeButtonProps={{ 'aria-label': 'Close' }}
      >
        {creating && (
          <NewAccount
            onClose={() => setCreating(false)}
            onCreated={(a) => {
              setCreating(false)
              setCreated(a)
              list.reload()
            }}
          />
        )}
      </Modal>
    </Stack>
  )
}
