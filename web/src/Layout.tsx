/** The frame: header with account and sign-out, a navigation that collapses to a burger at phone width. */
import type { ReactNode } from 'react'
import { AppShell, Burger, Button, Group, NavLink, Text, Title } from '@mantine/core'
import { useDisclosure } from '@mantine/hooks'
import type { SessionView } from './api'
import { navigate } from './router'
import { navFor } from './nav'

export function Layout(props: { session: SessionView; path: string; onSignOut: () => void; children: ReactNode }) {
  const [opened, { toggle, close }] = useDisclosure(false)
  const nav = navFor(props.session)
  const who = props.session.kind === 'admin' ? `Signed in as ${props.session.role}` : props.session.friendly_name
  const active = (to: string) => (to === '/' ? props.path === '/' : props.path.startsWith(to))
  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 250, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group wrap="nowrap" gap="xs">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
            <Title order={1} size="h4">
              stirhub console
            </Title>
          </Group>
          <Group wrap="nowrap" gap="xs">
            {/* The customer area puts its account switcher here. */}
            <div id="header-slot" />
            <Text size="sm" visibleFrom="sm" data-testid="who">
              {who}
            </Text>
            <Button variant="default" size="xs" onClick={props.onSignOut}>
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Main navigation" component="nav">
        {nav.map(([to, label]) => (
          <NavLink
            key={to}
            href={`/console${to}`}
            label={label}
            active={active(to)}
            aria-current={active(to) ? 'page' : undefined}
            onClick={(e) => {
              e.preventDefault()
              navigate(to)
              close()
            }}
          />
        ))}
      </AppShell.Navbar>
      <AppShell.Main component="main">{props.children}</AppShell.Main>
    </AppShell>
  )
}
