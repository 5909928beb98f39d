/** The numbers customers buy: the inventory a page at a time, bulk adding (typed or pasted), removing a free number. */
import { useState } from 'react'
import { Alert, Badge, Button, Card, Group, List, Select, Stack, Table, Text, Textarea, Title } from '@mantine/core'
import { api } from '../../api'
import { ConfirmDialog, ListTable, LoadError, localDate, Pager, usePagedList, type Pending } from './common'

interface InventoryNumber {
  readonly phone_number: string
  readonly area_code: string
  readonly type: 'local' | 'toll-free'
  readonly status: 'available' | 'held'
  readonly date_created: string
}
interface Imported {
  readonly added: number
  readonly already_present: number
  readonly refused: { phone_number: string; reason: string }[]
}

const TYPE_WORDS: Record<InventoryNumber['type'], string> = { local: 'Local', 'toll-free': 'Toll-free' }
const STATUS_WORDS: Record<InventoryNumber['status'], { word: string; color: string }> = {
  available: { word: 'Available to buy', color: 'green' },
  held: { word: 'Bought by a customer', color: 'blue' },
}

/** The numbers in pasted text: one per line, or separated by commas, semicolons or spaces (a CSV's header is skipped). */
function pastedNumbers(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((t) => t.replace(/^"|"$/g, ''))
    .filter((t) => /\d/.test(t))
}

/** Most numbers one request adds (the API's limit). */
const MAX_BULK = 10_000

export function Inventory() {
  const [filters, setFilters] = useState<{ Status?: string; Type?: string }>({})
  const list = usePagedList<InventoryNumber>('/admin/v1/PhoneNumberInventory', filters, 50)
  const [text, setText] = useState('')
  const [result, setResult] = useState<Imported | null>(null)
  const [error, setError] = useState('')
  const [pending, setPending] = useState<Pending | null>(null)
  const numbers = pastedNumbers(text)
  const add = async () => {
    setError('')
    setResult(null)
    try {
      const r = await api<Imported>('POST', '/admin/v1/PhoneNumberInventory', { json: { PhoneNumbers: numbers } })
      setResult(r)
      if (r.refused.length === 0) setText('')
      list.reload()
    } catch (e) {
      setError((e as Error).message)
    }
  }
  const remove = (n: InventoryNumber) =>
    setPending({
      title: `Remove ${n.phone_number}?`,
      consequence: `${n.phone_number} leaves the inventory: customers can no longer find or buy it. You can add it again later.`,
      confirm: 'Remove',
      danger: true,
      run: async () => {
        await api('DELETE', `/admin/v1/PhoneNumberInventory/${encodeURIComponent(n.phone_number)}`)
        setResult(null)
        list.reload()
      },
    })
  return (
    <Stack maw={1100}>
      <Title order={2}>Number inventory</Title>
      <Text size="sm" c="dimmed">
        The US numbers customers search and buy. A bought number stays listed until its customer releases it.
      </Text>
      <Card withBorder>
        <Stack gap="xs">
          <Title order={3} size="h4">
            Add numbers
          </Title>
          <Textarea
            label="Numbers to add"
            description="One per line, or paste a list or a CSV column (E.164, e.g. +14155550100)"
            autosize
            minRows={2}
            maxRows={8}
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
          />
          <Group>
            <Button onClick={add} disabled={numbers.length === 0 || numbers.length > MAX_BULK}>
              {numbers.length > 1 ? `Add ${numbers.length} numbers` : 'Add number'}
            </Button>
            {numbers.length > MAX_BULK && <Text size="sm">At most {MAX_BULK.toLocaleString()} at a time.</Text>}
          </Group>
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          {result && (
            <Alert color={result.refused.length ? 'orange' : 'green'} role="status" data-testid="import-result">
              Added {result.added}
              {result.already_present ? `; ${result.already_present} already in the inventory` : ''}
              {result.refused.length ? `; ${result.refused.length} refused:` : '.'}
              {result.refused.length > 0 && (
                <List size="sm">
                  {result.refused.slice(0, 20).map((r) => (
                    <List.Item key={r.phone_number}>
                      {r.phone_number}: {r.reason}
                    </List.Item>
                  ))}
                </List>
              )}
            </Alert>
          )}
        </Stack>
      </Card>
      <Group gap="xs" align="end">
        <Select
          label="Status"
          data={[
            { value: '', label: 'Any status' },
            ...Object.entries(STATUS_WORDS).map(([value, s]) => ({ value, label: s.word })),
          ]}
          value={filters.Status ?? ''}
          onChange={(v) => setFilters((f) => ({ ...f, Status: v || undefined }))}
          allowDeselect={false}
          w={200}
        />
        <Select
          label="Kind"
          data={[
            { value: '', label: 'Local and toll-free' },
            ...Object.entries(TYPE_WORDS).map(([value, label]) => ({ value, label })),
          ]}
          value={filters.Type ?? ''}
          onChange={(v) => setFilters((f) => ({ ...f, Type: v || undefined }))}
          allowDeselect={false}
          w={200}
        />
      </Group>
      <LoadError error={list.error} what="The number inventory" />
      <ListTable
        label="Number inventory"
        minWidth={560}
        headers={['Number', 'Kind', 'Status', 'Added', 'Action']}
        rows={list.rows}
        empty="No numbers here yet."
      >
        {(list.rows ?? []).map((n) => (
          <Table.Tr key={n.phone_number} data-number={n.phone_number}>
            <Table.Td ff="monospace">{n.phone_number}</Table.Td>
            <Table.Td>{TYPE_WORDS[n.type]}</Table.Td>
            <Table.Td>
              <Badge variant="light" color={STATUS_WORDS[n.status].color}>
                {STATUS_WORDS[n.status].word}
              </Badge>
            </Table.Td>
            <Table.Td>{localDate(n.date_created)}</Table.Td>
            <Table.Td>
              {n.status === 'available' && (
                <Button
                  size="compact-sm"
                  variant="light"
                  color="red"
                  onClick={() => remove(n)}
                  aria-label={`Remove ${n.phone_number}`}
                >
                  Remove
                </Button>
              )}
            </Table.Td>
          </Table.Tr>
        ))}
      </ListTable>
      <Pager {...list} />
      <ConfirmDialog pending={pending} onClose={() => setPending(null)} />
    </Stack>
  )
}
