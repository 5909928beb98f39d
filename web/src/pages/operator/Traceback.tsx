/**
 * Traceback: paste a call's Identity header (or give its origid, numbers and time) and see who
 * placed it, the business and its contacts, the number's right to use and why it got its
 * level; export the answer as JSON and as a printable text summary.
 */
import { useState } from 'react'
import { Alert, Button, Card, Group, SimpleGrid, Stack, Tabs, Text, Textarea, TextInput, Title } from '@mantine/core'
import { api } from '../../api'
import type { TracebackAnswer } from '../../traceback'
import { TracebackAnswerView } from '../../components/TracebackAnswer'

type Mode = 'identity' | 'call'

export function Traceback() {
  const [mode, setMode] = useState<Mode>('identity')
  const [identity, setIdentity] = useState('')
  const [call, setCall] = useState({ origid: '', orig: '', dest: '', time: '' })
  const [answer, setAnswer] = useState<{ t: TracebackAnswer; asked: string }>()
  const [error, setError] = useState('')
  const [busy, setBusy] = useState(false)
  const trace = async () => {
    setError('')
    setBusy(true)
    try {
      const json = mode === 'identity' ? { identity } : call
      const asked =
        mode === 'identity'
          ? `Identity ${identity.trim().slice(0, 60)}…`
          : `origid ${call.origid}, ${call.orig} → ${call.dest} at ${call.time}`
      setAnswer({ t: await api<TracebackAnswer>('POST', '/admin/v1/traceback', { json }), asked })
    } catch (e) {
      setAnswer(undefined)
      setError((e as Error).message)
    } finally {
      setBusy(false)
    }
  }
  const field = (key: keyof typeof call, label: string, description: string) => (
    <TextInput
      label={label}
      description={description}
      value={call[key]}
      onChange={(e) => {
        const value = e.currentTarget.value
        setCall((c) => ({ ...c, [key]: value }))
      }}
    />
  )
  return (
    <Stack maw={1100}>
      <Title order={2}>Traceback</Title>
      <Text c="dimmed" size="sm">
        Who placed a call this platform signed, and why it got its level. A header that none of this platform's
        certificates verifies is answered as not signed by this platform.
      </Text>
      <Card withBorder>
        <form
          onSubmit={(e) => {
            e.preventDefault()
            void trace()
          }}
        >
          <Tabs keepMounted={false} value={mode} onChange={(v) => setMode((v as Mode) ?? 'identity')}>
            <Tabs.List mb="sm">
              <Tabs.Tab value="identity">Paste a header</Tabs.Tab>
              <Tabs.Tab value="call">Search by origid</Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value="identity">
              <Textarea
                label="Identity header"
                description="As received: the PASSporT and its parameters (a leading “Identity:” is fine)"
                autosize
                minRows={4}
                maxRows={12}
                value={identity}
                onChange={(e) => setIdentity(e.currentTarget.value)}
                styles={{ input: { fontFamily: 'monospace', fontSize: 12, wordBreak: 'break-all' } }}
              />
            </Tabs.Panel>
            <Tabs.Panel value="call">
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                {field('origid', 'Origid', "The PASSporT's origid (a UUID)")}
                {field('time', 'Time', 'ISO 8601 (2026-12-06T17:30:00Z) or NumericDate seconds')}
                {field('orig', 'Calling number', 'Any spelling: +1 212 555 0100')}
                {field('dest', 'Called number', 'Any spelling: +1 202 555 0143')}
              </SimpleGrid>
            </Tabs.Panel>
          </Tabs>
          <Group mt="sm">
            <Button type="submit" loading={busy}>
              Trace
            </Button>
          </Group>
        </form>
      </Card>
      {error && (
        <Alert color="red" title="Refused" role="alert">
          {error}
        </Alert>
      )}
      {answer && <TracebackAnswerView t={answer.t} asked={answer.asked} />}
    </Stack>
  )
}
