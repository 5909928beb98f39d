/** Sign-in: account SID + auth token (or API key SID + secret), or a reviewer/operator token. */
import { useState, type FormEvent } from 'react'
import { Alert, Button, Card, Center, PasswordInput, Stack, Tabs, Text, TextInput, Title } from '@mantine/core'
import { api, type SessionView } from '../api'

export function SignIn({ onSignedIn }: { onSignedIn: (s: SessionView) => void }) {
  const [user, setUser] = useState('')
  const [pass, setPass] = useState('')
  const [token, setToken] = useState('')
  const [error, setError] = useState('')
  const [busy, setBusy] = useState(false)

  const submit = (body: Record<string, string>) => async (e: FormEvent) => {
    e.preventDefault()
    setBusy(true)
    setError('')
    try {
      onSignedIn(await api<SessionView>('POST', '/console/api/session', { json: body }))
    } catch (err) {
      setError((err as Error).message)
    } finally {
      setBusy(false)
    }
  }

  return (
    <Center mih="100vh" p="md" component="main">
      <Card withBorder shadow="sm" padding="lg" w="100%" maw={440}>
        <Stack>
          <Title order={1} size="h2">
            Sign in to stirhub
          </Title>
          <Text size="sm" c="dimmed">
            SHAKEN/STIR onboarding, numbers and attestation.
          </Text>
          {error && (
            <Alert color="red" role="alert" title="Sign-in failed">
              {error}
            </Alert>
          )}
          <Tabs defaultValue="account" keepMounted={false}>
            <Tabs.List grow>
              <Tabs.Tab value="account">Customer</Tabs.Tab>
              <Tabs.Tab value="token">Reviewer / operator</Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value="account" pt="md">
              <form onSubmit={submit({ Username: user.trim(), Password: pass })}>
                <Stack>
                  <TextInput
                    label="Account SID or API key SID"
                    placeholder="AC… or SK…"
                    required
                    value={user}
                    onChange={(e) => setUser(e.currentTarget.value)}
                    autoComplete="username"
                    data-autofocus
                  />
                  <PasswordInput
                    label="Auth token or API key secret"
                    required
                    value={pass}
                    onChange={(e) => setPass(e.currentTarget.value)}
                    autoComplete="current-password"
                  />
                  <Button type="submit" loading={busy}>
                    Sign in
                  </Button>
                </Stack>
              </form>
            </Tabs.Panel>
            <Tabs.Panel value="token" pt="md">
              <form onSubmit={submit({ Token: token.trim() })}>
                <Stack>
                  <PasswordInput
                    label="Reviewer or operator token"
                    required
                    value={token}
                    onChange={(e) => setToken(e.currentTarget.value)}
                  />
                  <Button type="submit" loading={busy}>
                    Sign in
                  </Button>
                </Stack>
              </form>
            </Tabs.Panel>
          </Tabs>
        </Stack>
      </Card>
    </Center>
  )
}
