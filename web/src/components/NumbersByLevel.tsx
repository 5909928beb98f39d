/** The dashboard's "Numbers by level" card: how many of the account's numbers get A, B and C today. */
import { Anchor, Badge, Card, Group, Stack, Text, Title } from '@mantine/core'
import { navigate } from '../router'
import { useNumberFacts } from './numberFacts'
import { LEVEL_COLOR } from './WhyPopover'

export function NumbersByLevel({ accountSid }: { accountSid: string }) {
  const { numbers, facts } = useNumberFacts(accountSid)
  const counts: Record<string, number> = { A: 0, B: 0, C: 0 }
  for (const f of facts.values()) if (f.level) counts[f.level] = (counts[f.level] ?? 0) + 1
  const ready = numbers !== undefined && (numbers.length === 0 || facts.size > 0)
  return (
    <Card withBorder aria-label="Numbers by level">
      <Stack gap="xs">
        <Title order={3} size="h4">
          Numbers by level
        </Title>
        {!ready && <Text size="sm">Loading…</Text>}
        {ready && numbers.length === 0 && (
          <Text size="sm">
            No numbers yet.{' '}
            <Anchor
              href="/console/numbers"
              onClick={(e) => {
                e.preventDefault()
                navigate('/numbers')
              }}
            >
              Buy one
            </Anchor>
          </Text>
        )}
        {ready && numbers.length > 0 && (
          <Group gap="md" data-testid="numbers-by-level">
            {(['A', 'B', 'C'] as const).map((l) => (
              <Anchor
                key={l}
                href={`/console/numbers?filter=${l}`}
                onClick={(e) => {
                  e.preventDefault()
                  navigate(`/numbers?filter=${l}`)
                }}
                aria-label={`${l}: ${counts[l]}, show these numbers`}
              >
                <Badge size="lg" color={LEVEL_COLOR[l]} autoContrast>
                  {l}: {counts[l]}
                </Badge>
              </Anchor>
            ))}
          </Group>
        )}
      </Stack>
    </Card>
  )
}
