/**
 * Bulk assignment of numbers to a profile and its trust product in the onboarding wizards:
 * tick numbers from the list or paste them; one server job assigns them all, its progress and
 * every refused line shown as on the numbers page.
 */
import { useEffect, useState } from 'react'
import { Alert, Button, Checkbox, Stack, Table, Text, Textarea } from '@mantine/core'
import { api } from '../api'
import { pastedList } from '../csv'
import { JobResult, useBulkJob } from './BulkAssign'

export interface PhoneNumber {
  sid: string
  phone_number: string
  friendly_name?: string
}

export function useNumbers(accountSid: string, reload = 0, account?: string) {
  const [numbers, setNumbers] = useState<PhoneNumber[] | undefined>(undefined)
  const [error, setError] = useState('')
  useEffect(() => {
    api('GET', `/2010-04-01/Accounts/${accountSid}/IncomingPhoneNumbers.json`, { query: { PageSize: '1000' }, account })
      .then((r) => setNumbers(r.incoming_phone_numbers ?? []))
      .catch((e) => {
        setNumbers([])
        setError((e as Error).message)
      })
  }, [accountSid, reload, account])
  return { numbers, error }
}

export interface NumberAssignProps {
  readonly accountSid: string
  readonly profile: string
  readonly trustProduct?: string
  readonly account?: string
}

export function NumberAssign(p: NumberAssignProps) {
  const { numbers, error } = useNumbers(p.accountSid, 0, p.account)
  const [picked, setPicked] = useState<string[]>([])
  const [csv, setCsv] = useState('')
  const bulk = useBulkJob(() => undefined, p.account)
  // One request for all of them, run by the server; every line comes back assigned, already
  // assigned, or refused with its reason (numbers without '+' are read as the API reads them).
  const run = () =>
    bulk.start({ profile: p.profile, product: p.trustProduct }, { list: [...picked, ...pastedList(csv)] })

  return (
    <Stack>
      {error && <Alert color="yellow">{error}</Alert>}
      {numbers && numbers.length === 0 && <Text>No numbers on this account yet.</Text>}
      {numbers && numbers.length > 0 && (
        <Table striped aria-label="Numbers to assign">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Select</Table.Th>
              <Table.Th>Number</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {numbers.map((n) => (
              <Table.Tr key={n.sid}>
                <Table.Td>
                  <Checkbox
                    aria-label={`Select ${n.phone_number}`}
                    checked={picked.includes(n.sid)}
                    onChange={(e) => {
                      const on = e.currentTarget.checked
                      setPicked((x) => (on ? [...x, n.sid] : x.filter((y) => y !== n.sid)))
                    }}
                  />
                </Table.Td>
                <Table.Td>{n.phone_number}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Textarea
        label="Or paste numbers (CSV)"
        description="One per line, or separated by commas: E.164 numbers, 10-digit US numbers or PN SIDs"
        value={csv}
        onChange={(e) => setCsv(e.currentTarget.value)}
        autosize
        minRows={2}
      />
      <Button onClick={run} disabled={(!picked.length && !csv.trim()) || bulk.running} w="fit-content">
        Assign to profile and trust product
      </Button>
      {bulk.error && (
        <Alert color="red" role="alert">
          {bulk.error}
        </Alert>
      )}
      {bulk.job && <JobResult job={bulk.job} humanize={(s) => s} />}
    </Stack>
  )
}
