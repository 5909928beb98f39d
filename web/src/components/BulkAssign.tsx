/**
 * Bulk assignment as a server job: the numbers ticked in the table, a pasted list, or a CSV
 * file go in one request (POST …/ChannelEndpointAssignments/Bulk); a progress bar follows the
 * job, and the result says what was assigned, what already was, and every refused line with
 * its reason.
 */
import { useEffect, useRef, useState } from 'react'
import { Alert, Button, FileInput, Group, Progress, Select, Stack, Table, Text, Textarea } from '@mantine/core'
import { api } from '../api'
import { STATUS_WORDS } from '../words'
import { pastedList } from '../csv'

export interface BundleOption {
  readonly sid: string
  readonly friendly_name: string
  readonly status: string
}

interface Job {
  readonly sid: string
  readonly url: string
  readonly status: 'running' | 'completed' | 'failed'
  readonly total: number
  readonly done: number
  readonly assigned: number
  readonly already_assigned: number
  readonly refused: readonly { line: number; value: string; reason: string }[]
}

const option = (b: BundleOption) => ({
  value: b.sid,
  label: `${b.friendly_name} (${STATUS_WORDS[b.status] ?? b.status})`,
})

export interface BulkAssignProps {
  readonly profiles: readonly BundleOption[]
  readonly products: readonly BundleOption[]
  /** Numbers ticked in the table (E.164). */
  readonly selected: readonly string[]
  /** Called once a job has ended, to refresh the levels. */
  readonly onDone: () => void
  /** Says SIDs in the server's reasons as names (numbers, bundles, the account). */
  readonly humanize: (text: string) => string
}

/**
 * Runs one bulk assignment job at a time: `start` posts it (to the trust product when there is
 * one, which fills its linked profile too; else to the profile), then the job is polled until
 * it ends and `onDone` runs.
 */
export function useBulkJob(onDone: () => void, account?: string) {
  const [job, setJob] = useState<Job>()
  const [error, setError] = useState('')
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined)
  useEffect(() => () => clearTimeout(timer.current), [])
  const follow = (j: Job) => {
    setJob(j)
    if (j.status !== 'running') return onDone()
    timer.current = setTimeout(() => {
      api<Job>('GET', new URL(j.url).pathname, { account })
        .then(follow)
        .catch((e) => setError((e as Error).message))
    }, 300)
  }
  const start = async (
    target: { profile?: string | null; product?: string | null },
    input: { csv: string } | { list: string[] },
  ) => {
    setError('')
    setJob(undefined)
    const path = target.product
      ? `/v1/TrustProducts/${target.product}/ChannelEndpointAssignments/Bulk`
      : `/v1/CustomerProfiles/${target.profile}/ChannelEndpointAssignments/Bulk`
    const withProfile = target.product ? true : undefined
    try {
      follow(
        'csv' in input
          ? await api<Job>('POST', path, {
              csv: input.csv,
              query: { AssignToProfile: withProfile && 'true' },
              account,
            })
          : await api<Job>('POST', path, { json: { PhoneNumbers: input.list, AssignToProfile: withProfile }, account }),
      )
    } catch (e) {
      setError((e as Error).message)
    }
  }
  return { job, error, start, running: job?.status === 'running' }
}

export function BulkAssign(p: BulkAssignProps) {
  const [profile, setProfile] = useState<string | null>(p.profiles[0]?.sid ?? null)
  const [product, setProduct] = useState<string | null>(p.products[0]?.sid ?? null)
  const [pasted, setPasted] = useState('')
  const [file, setFile] = useState<File | null>(null)
  const { job, error, start, running } = useBulkJob(p.onDone)
  useEffect(() => {
    if (!profile && p.profiles[0]) setProfile(p.profiles[0].sid)
    if (!product && p.products[0]) setProduct(p.products[0].sid)
  }, [p.profiles, p.products])

  const run = async () =>
    start({ profile, product }, file ? { csv: await file.text() } : { list: [...p.selected, ...pastedList(pasted)] })

  const n = p.selected.length + pastedList(pasted).length
  const count = file ? 'the file' : n ? `${n} number${n === 1 ? '' : 's'}` : 'numbers'
  return (
    <Stack>
      <Group grow align="start" wrap="wrap">
        <Select
          label="Business profile"
          data={p.profiles.map(option)}
          value={profile}
          onChange={setProfile}
          miw={220}
        />
        <Select
          label="SHAKEN/STIR trust product"
          data={p.products.map(option)}
          value={product}
          onChange={setProduct}
          clearable
          miw={220}
        />
      </Group>
      <Text size="sm">
        {p.selected.length
          ? `${p.selected.length} number${p.selected.length === 1 ? '' : 's'} ticked in the table.`
          : 'Tick numbers in the table, paste a list, or upload a CSV file.'}
      </Text>
      <Textarea
        label="Paste numbers"
        description="One per line, or separated by commas; +1 is added to 10-digit US numbers"
        value={pasted}
        onChange={(e) => setPasted(e.currentTarget.value)}
        autosize
        minRows={2}
      />
      <FileInput
        label="Or upload a CSV file"
        description="The first column of each line; a header line is skipped"
        accept=".csv,text/csv"
        value={file}
        onChange={setFile}
        clearable
        clearButtonProps={{ 'aria-label': 'Remove the file' }}
      />
      <Button
        onClick={run}
        disabled={(!profile && !product) || (!file && !p.selected.length && !pasted.trim()) || running}
        w="fit-content"
        maw="100%"
        h="auto"
        py={6}
        styles={{ label: { whiteSpace: 'normal' } }}
      >
        {product ? `Assign ${count} to the profile and trust product` : `Assign ${count} to the profile`}
      </Button>
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      {job && <JobResult job={job} humanize={p.humanize} />}
    </Stack>
  )
}

/** A job's progress bar, its counts, and the refused lines with their reasons. */
export function JobResult({ job, humanize }: { job: Job; humanize: (text: string) => string }) {
  const pct = job.total ? Math.round((job.done / job.total) * 100) : 100
  return (
    <Stack gap="xs" data-testid="bulk-result">
      <Progress value={pct} aria-label="Assignment progress" />
      <Text role="status" size="sm" fw={600}>
        {job.status === 'running'
          ? `Assigning… ${job.done} of ${job.total} lines done`
          : job.status === 'failed'
            ? `Stopped after ${job.done} of ${job.total} lines`
            : `Done: ${job.assigned} assigned, ${job.already_assigned} already assigned, ${job.refused.length} refused`}
      </Text>
      {job.refused.length > 0 && (
        <Table aria-label="Refused lines" striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Line</Table.Th>
              <Table.Th>Value</Table.Th>
              <Table.Th>Why it was refused</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {job.refused.map((r) => (
              <Table.Tr key={r.line}>
                <Table.Td>{r.line}</Table.Td>
                <Table.Td>{r.value}</Table.Td>
                <Table.Td>{humanize(r.reason)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  )
}
