/**
 * The header's account switcher: the signed-in account or one of its sub-accounts (the first
 * page of them, or those a typed name or SID finds: an ISV may have thousands). Choosing one
 * makes every customer page act in it.
 */
import { useEffect, useState } from 'react'
import { Select } from '@mantine/core'
import { api, type AccountSession } from '../api'
import { useActing } from '../acting'
import type { SubAccount } from './CustomersTable'

export function AccountSwitcher({ session }: { session: AccountSession }) {
  const acting = useActing()
  const [found, setFound] = useState<SubAccount[]>([])
  const [search, setSearch] = useState('')
  useEffect(() => {
    const t = setTimeout(() => {
      const query: Record<string, string> = { PageSize: '20' }
      // The typed text is the chosen account's name while nothing new is typed.
      if (search.trim() && search !== acting.sub?.friendly_name) query.Search = search.trim()
      api<{ sub_accounts: SubAccount[] }>('GET', '/console/api/sub-accounts', { query, account: '' })
        .then((r) => setFound(r.sub_accounts))
        .catch(() => undefined)
    }, 200)
    return () => clearTimeout(t)
  }, [search])
  const subs = [...found]
  if (acting.sub && !subs.some((s) => s.sid === acting.sub!.sid)) subs.unshift({ ...acting.sub, status: 'active' })
  const data = [
    { value: session.account_sid, label: `${session.friendly_name} (you)` },
    ...subs.map((s) => ({ value: s.sid, label: s.friendly_name })),
  ]
  return (
    <Select
      size="xs"
      w={{ base: 120, sm: 240 }}
      aria-label="Acting as account"
      placeholder="Account"
      data={data}
      value={acting.sub?.sid ?? session.account_sid}
      searchable
      searchValue={search}
      onSearchChange={setSearch}
      allowDeselect={false}
      nothingFoundMessage="No such sub-account"
      filter={({ options }) => options}
      onChange={(sid) => {
        const sub = subs.find((s) => s.sid === sid)
        acting.actAs(sub && { sid: sub.sid, friendly_name: sub.friendly_name }, '/')
      }}
      data-testid="account-switcher"
    />
  )
}
