/** Customers (for ISVs): one row per sub-account with where its onboarding stands and what to do. */
import { Button, Group, Stack, Text, Title } from '@mantine/core'
import { useState } from 'react'
import { CustomersTable } from '../components/CustomersTable'
import { useActing } from '../acting'
import { navigate } from '../router'

export function Customers() {
  const acting = useActing()
  const [version, setVersion] = useState(0)
  return (
    <Stack maw={1100}>
      <Group justify="space-between" align="end">
        <Title order={2}>Customers</Title>
        <Group gap="xs">
          <Button variant="default" size="xs" onClick={() => setVersion((v) => v + 1)}>
            Refresh
          </Button>
          <Button size="xs" onClick={() => navigate('/onboarding/isv')}>
            Add a customer
          </Button>
        </Group>
      </Group>
      <Text c="dimmed">
        Each customer is a sub-account: its business profile, SHAKEN/STIR trust product and phone numbers. “Act as”
        opens every page for that customer.
      </Text>
      <CustomersTable
        version={version}
        actions={{
          onContinue: (a) => navigate(`/onboarding/isv?customer=${a.sid}`),
          onActAs: (a, then) => acting.actAs(a, then ?? '/'),
        }}
      />
    </Stack>
  )
}
