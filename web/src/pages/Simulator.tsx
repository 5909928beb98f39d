/** Attestation simulator: pick a from and a to, see the level and the rule that fired. */
import { useState, type FormEvent } from 'react'
import { Button, Card, Group, Stack, Text, TextInput, Title } from '@mantine/core'
import type { AccountSession } from '../api'
import { useActing } from '../acting'
import { DecisionOrNote, useDecision } from '../components/Attestation'

export function Simulator({ session }: { session: AccountSession }) {
  const who = useActing().sub?.friendly_name ?? session.friendly_name
  const [from, setFrom] = useState('')
  const [to, setTo] = useState('+12025550123')
  const [asked, setAsked] = useState<{ from: string; to: string; n: number } | undefined>()
  const decision = useDecision(asked?.from, asked?.to, undefined, asked?.n)
  const run = (e: FormEvent) => {
    e.preventDefault()
    setAsked({ from: from.trim(), to: to.trim(), n: (asked?.n ?? 0) + 1 })
  }
  return (
    <Stack maw={720}>
      <Title order={2}>Attestation simulator</Title>
      <Text c="dimmed">What level would a call from {who} get right now, and why?</Text>
      <Card withBorder>
        <form onSubmit={run}>
          <Group align="end">
            <TextInput
              label="From (caller number)"
              placeholder="+14155550100"
              value={from}
              onChange={(e) => setFrom(e.currentTarget.value)}
              required
            />
            <TextInput label="To (called number)" value={to} onChange={(e) => setTo(e.currentTarget.value)} required />
            <Button type="submit">Simulate</Button>
          </Group>
        </form>
      </Card>
      {asked && (
        <Card withBorder>
          <DecisionOrNote {...decision} />
        </Card>
      )}
    </Stack>
  )
}
