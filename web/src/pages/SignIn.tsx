/**
 * Sign-in: a person's email and password (then a two-factor code when they have one); or, for
 * automation and the first steps of an install, an account SID + auth token (or API key SID +
 * secret), or a reviewer/operator token.
 */
import { useState, type FormEvent } from 'react'
import { Alert, Anchor, Button, Card, Center, PasswordInput, Stack, Tabs, Text, TextInput, Title } from '@mantine/core'
import { api, ApiError, type SessionView } from '../api'
import { navigate } from '../router'

export function SignIn({ onSignedIn }: { onSignedIn: (s: SessionView) => void }) {
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [code, setCode] = useState('')
  const [needCode, setNeedCode] = useState(false)
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
      // The password was right and a second factor is due: ask for it (not an error the first time).
      if (err instanceof ApiError && /Two-factor code required/.test(err.message) && !needCode) setNeedCode(true)
      else setError((err as Error).message)
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
          <Tabs defaultValue="email" keepMounted={false}>
            <Tabs.List grow>
              <Tabs.Tab value="email">Email</Tabs.Tab>
              <Tabs.Tab value="account">API key</Tabs.Tab>
              <Tabs.Tab value="token">Reviewer / operator</Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value="email" pt="md">
              <form
                onSubmit={submit({
                  Email: email.trim(),
                  Password: password,
                  ...(needCode ? { Code: code.trim() } : {}),
                })}
              >
                <Stack>
                  <TextInput
                    label="Email"
                    type="email"
                    required
                    value={email}
                    onChange={(e) => setEmail(e.currentTarget.value)}
                    autoComplete="username"
                    data-autofocus
                  />
                  <PasswordInput
                    label="Password"
                    required
                    value={password}
                    onChange={(e) => setPassword(e.currentTarget.value)}
                    autoComplete="current-password"
                  />
                  {needCode && (
                    <TextInput
                      label="Two-factor code"
                      description="The 6 digits your authenticator app shows, or a recovery code"
                      required
                      autoFocus
                      value={code}
                      onChange={(e) => setCode(e.currentTarget.value)}
                      autoComplete="one-time-code"
                      inputMode="text"
                    />
                  )}
                  <Button type="submit" loading={busy}>
                    Sign in
                  </Button>
                  <Button
                    variant="default"
                    loading={busy}
                    onClick={async () => {
                      setError('')
                      try {
                        const r = await api<{ redirect: string }>('POST', '/console/api/sso/start', {
                          json: { Email: email.trim() },
                        })
                        window.location.assign(r.redirect)
                      } catch (err) {
                        setError((err as Error).message)
                      }
                    }}
                  >
                    Sign in with single sign-on
                  </Button>
                  <Anchor
                    href="/console/reset-password"
                    size="sm"
                    onClick={(e) => {
                      e.preventDefault()
                      navigate('/reset-password')
                    }}
                  >
                    Forgot your password?
                  </Anchor>
                </Stack>
              </form>
            </Tabs.Panel>
            <Tabs.Panel value="account" pt="md">
              <form onSubmit={submit({ Username: user.trim(), Password: pass })}>
                <Stack>
                  <Text size="sm" c="dimmed">
                    Sign in with an API key (or the account's auth token): for automation and setting up.
                  </Text>
                  <TextInput
                    label="Account SID or API key SID"
                    placeholder="AC… or SK…"
                    required
                    value={user}
                    onChange={(e) => setUser(e.currentTarget.value)}
                    autoComplete="username"
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
