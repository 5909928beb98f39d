/** What an edited copy changes against the approved profile, as a table of labelled fields. */
import { Table, Text } from '@mantine/core'
import type { Change } from '../../../src/domain/bundle-diff'
import { STEP_FIELDS, type StepKey } from '../fields'
import { stepOfType } from '../bundle-facts'
import { valueInWords } from '../words'

const SECTION: Readonly<Record<string, string>> = {
  customer_profile_business_information: 'Business information',
  authorized_representative_1: 'Authorized representative',
  authorized_representative_2: 'Second authorized representative',
  address: 'Business address',
}

const specOf = (c: Change) => {
  const step: StepKey | undefined = c.object === 'address' ? 'address' : stepOfType(c.type)
  return step ? STEP_FIELDS[step].find((f) => f.name === c.field) : undefined
}

function label(c: Change): string {
  const what = specOf(c)?.label ?? (c.field === 'friendly_name' ? 'Name' : c.field.replace(/_/g, ' '))
  return `${SECTION[c.type] ?? c.type.replace(/_/g, ' ')}: ${what}`
}

/** A value as read: allowed values in words, lists comma-separated. */
function shown(c: Change, v: unknown): string {
  if (v == null || v === '') return '(empty)'
  const words = specOf(c)?.choices ? valueInWords : String
  return Array.isArray(v) ? v.map((x) => words(String(x))).join(', ') : words(String(v))
}

/** The changes people read: SIDs (an address document's new address) are left out, the address fields say it. */
export const readableChanges = (changes: readonly Change[]) =>
  changes.filter((c) => c.object !== 'supporting_document' && c.field !== 'sid')

export function CopyChanges({ changes }: { changes: readonly Change[] }) {
  const rows = readableChanges(changes)
  if (rows.length === 0) return <Text c="dimmed">Nothing changed yet: edit the fields below.</Text>
  return (
    // Cells wrap rather than scroll: three short columns fit a phone, and a region that scrolls
    // with nothing focusable in it is out of reach of the keyboard.
    <Table
      aria-label="Changes against the approved profile"
      data-testid="copy-changes"
      style={{ overflowWrap: 'anywhere' }}
    >
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Field</Table.Th>
          <Table.Th>Approved</Table.Th>
          <Table.Th>This copy</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((c) => (
          <Table.Tr key={`${c.type}-${c.field}`}>
            <Table.Td>{label(c)}</Table.Td>
            <Table.Td>
              <del>{shown(c, c.before)}</del>
            </Table.Td>
            <Table.Td>
              <ins>{shown(c, c.after)}</ins>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  )
}
