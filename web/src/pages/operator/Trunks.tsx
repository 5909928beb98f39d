/** SIP trunks: the SBC addresses whose INVITEs are signed for an account. List, create, edit, delete (confirmed). */
import { useEffect, useState } from 'react'
import { Button, Group, Modal, Select, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core'
import { api } from '../../api'
import {
  ConfirmDialog,
  DialogActions,
  DoneNotice,
  ListTable,
  LoadError,
  localDate,
  Pager,
  usePagedList,
  type Pending,
} from './common'

interface Trunk {
  readonly sid: string
  readonly account_sid: string
  readonly friendly_name: string
  readonly source_addresses: string[]
  readonly trunk_group: string | null
  readonly date_created: string
}
interface AccountOption {
  readonly value: string
  readonly label: string
}

/** Accounts whose name or SID start matches what is typed, for the trunk's account picker. */
function useAccountOptions(search: string) {
  const [options, setOptions] = useState<AccountOption[]>([])
  useEffect(() => {
    const t = setTimeout(() => {
      api<{ results: { sid: string; friendly_name: string }[] }>('GET', '/admin/v1/Accounts', {
        query: { Search: search.trim() || undefined, PageSize: '20' },
      })
        .then((r) => {
          const found = r.results.map((a) => ({ value: a.sid, label: `${a.friendly_name} (${a.sid.slice(0, 10)}…)` }))
          setOptions(found)
        })
        .catch(() => undefined)
    }, 250)
    return () => clearTimeout(t)
  }, [search])
  return options
}

/** Names of the accounts a page of trunks serves (one lookup per account). */
function useAccountNames(sids: readonly string[]) {
  const [names, setNames] = useState<Record<string, string>>({})
  useEffect(() => {
    for (const sid of new Set(sids))
      if (!(sid in names))
        api<{ results: { sid: string; friendly_name: string }[] }>('GET', '/admin/v1/Accounts', {
          query: { Search: sid, PageSize: '1' },
        })
          .then((r) => r.results[0] && setNames((n) => ({ ...n, [sid]: r.results[0]!.friendly_name })))
          .catch(() => undefined)
  }, [sids.join()])
  return names
}

const addressesOf = (text: string) =>
  text
    .split(/[\s,;]+/)
    .map((t) => t.trim())
    .filter(Boolean)

/** The create / edit form (a dialog). */
function TrunkForm({
  trunk,
  accountName,
  onSaved,
  onClose,
}: {
  trunk?: Trunk
  accountName?: string
  onSaved: (t: Trunk) => void
  onClose: () => void
}) {
  const [name, setName] = useState(trunk?.friendly_name ?? '')
  const [account, setAccount] = useState<string | null>(trunk?.account_sid ?? null)
  const [search, setSearch] = useState('')
  const [chosen, setChosen] = useState<AccountOption | undefined>(
    trunk ? { value: trunk.account_sid, label: accountName ?? trunk.account_sid } : undefined,
  )
  // Once chosen, the box shows the choice's label: that is not a new search.
  const found = useAccountOptions(search === chosen?.label ? '' : search)
  const options = chosen && !found.some((o) => o.value === chosen.value) ? [chosen, ...found] : found
  const [cidrs, setCidrs] = useState(trunk?.source_addresses.join('\n') ?? '')
  const [group, setGroup] = useState(trunk?.trunk_group ?? '')
  const [error, setError] = useState('')
  const [busy, setBusy] = useState(false)
  const save = async () => {
    setError('')
    setBusy(true)
    try {
      const json = {
        FriendlyName: name,
        AccountSid: account ?? '',
        SourceAddresses: addressesOf(cidrs),
        TrunkGroup: group.trim(),
      }
      const saved = await api<Trunk>('POST', trunk ? `/admin/v1/SipTrunks/${trunk.sid}` : '/admin/v1/SipTrunks', {
        json,
      })
      onSaved(saved)
    } catch (e) {
      setError((e as Error).message)
    } finally {
      setBusy(false)
    }
  }
  return (
    <Stack>
      <TextInput label="Name" required value={name} onChange={(e) => setName(e.currentTarget.value)} />
      <Select
        label="Account"
        description="The account its calls are signed for: type a name or the start of a SID"
        required
        searchable
        data={options}
        value={account}
        onChange={(v, option) => {
          setAccount(v)
          setChosen(option ?? undefined)
        }}
        searchValue={search}
        onSearchChange={setSearch}
        filter={({ options }) => options}
        nothingFoundMessage="No account matches"
      />
      <Textarea
        label="Source addresses"
        description="The SBC addresses its INVITEs come from, as CIDRs (IPv4 or IPv6), one per line"
        required
        autosize
        minRows={2}
        value={cidrs}
        onChange={(e) => setCidrs(e.currentTarget.value)}
      />
      <TextInput
        label="Trunk group (optional)"
        description="Only when several trunks share an SBC: the tgrp label that picks this one"
        value={group}
        onChange={(e) => setGroup(e.currentTarget.value)}
      />
      <DialogActions error={error} onCancel={onClose}>
        <Button loading={busy} onClick={save} disabled={!name.trim() || !account || addressesOf(cidrs).length === 0}>
          {trunk ? 'Save changes' : 'Create trunk'}
        </Button>
      </DialogActions>
    </Stack>
  )
}

export function Trunks() {
  const list = usePagedList<Trunk>('/admin/v1/SipTrunks', {})
  const names = useAccountNames((list.rows ?? []).map((t) => t.account_sid))
  const [editing, setEditing] = useState<Trunk | 'new' | null>(null)
  const [pending, setPending] = useState<Pending | null>(null)
  const [done, setDone] = useState('')
  const remove = (t: Trunk) =>
    setPending({
      title: `Delete ${t.friendly_name}?`,
      consequence: `INVITEs from ${t.source_addresses.join(', ')}${t.trunk_group ? ` with trunk group ${t.trunk_group}` : ''} are refused (403) from the next one, in every SIP server. Calls of ${names[t.account_sid] ?? 'its account'} over HTTP are not affected.`,
      confirm: 'Delete trunk',
      danger: true,
      run: async () => {
        await api('DELETE', `/admin/v1/SipTrunks/${t.sid}`)
        setDone(`${t.friendly_name} deleted.`)
        list.reload()
      },
    })
  return (
    <Stack maw={1100}>
      <Group justify="space-between">
        <Title order={2}>SIP trunks</Title>
        <Button onClick={() => setEditing('new')}>New trunk</Button>
      </Group>
      <Text size="sm" c="dimmed">
        The SIP signing front signs each INVITE for the account of the trunk it arrives on. Changes apply to the next
        INVITE.
      </Text>
      <DoneNotice done={done} onDismiss={() => setDone('')} />
      <LoadError error={list.error} what="The SIP trunks page" />
      <ListTable
        label="SIP trunks"
        minWidth={640}
        headers={['Trunk', 'Account', 'Source addresses', 'Trunk group', 'Created', 'Actions']}
        rows={list.rows}
        empty="No SIP trunks yet."
      >
        {(list.rows ?? []).map((t) => (
          <Table.Tr key={t.sid} data-sid={t.sid}>
            <Table.Td fw={600}>{t.friendly_name}</Table.Td>
            <Table.Td>{names[t.account_sid] ?? t.account_sid}</Table.Td>
            <Table.Td ff="monospace" fz="sm">
              {t.source_addresses.join(', ')}
            </Table.Td>
            <Table.Td>{t.trunk_group ?? 'None'}</Table.Td>
            <Table.Td>{localDate(t.date_created)}</Table.Td>
            <Table.Td>
              <Group gap={4} wrap="nowrap">
                <Button
                  size="compact-sm"
                  variant="light"
                  onClick={() => setEditing(t)}
                  aria-label={`Edit ${t.friendly_name}`}
                >
                  Edit
                </Button>
                <Button
                  size="compact-sm"
                  variant="light"
                  color="red"
                  onClick={() => remove(t)}
                  aria-label={`Delete ${t.friendly_name}`}
                >
                  Delete
                </Button>
              </Group>
            </Table.Td>
          </Table.Tr>
        ))}
      </ListTable>
      <Pager {...list} />
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing === 'new' ? 'New SIP trunk' : `Edit ${editing?.friendly_name ?? ''}`}
        centered
        closeButtonProps={{ 'aria-label': 'Close' }}
      >
        {editing !== null && (
          <TrunkForm
            trunk={editing === 'new' ? undefined : editing}
            accountName={editing === 'new' ? undefined : names[editing.account_sid]}
            onClose={() => setEditing(null)}
            onSaved={(t) => {
              setDone(`${t.friendly_name} ${editing === 'new' ? 'created' : 'saved'}.`)
              setEditing(null)
              list.reload()
            }}
          />
        )}
      </Modal>
      <ConfirmDialog pending={pending} onClose={() => setPending(null)} />
    </Stack>
  )
}
