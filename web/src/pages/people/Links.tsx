/**
 * The pages an emailed link opens, before anyone is signed in: accept an invitation (choose a
 * password, signed in at once) and reset a password (ask for a link, then choose a new one).
 * The token travels in the URL's fragment, which browsers never send to a server.
 */
import { useState, type FormEvent, type ReactNode } from 'react'
import { Alert, Anchor, Button, Card, Center, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core'
import { api, type SessionView } from '../../api'
import { navigate } from '../../router'

const tokenOfLink = () => new URLSearchParams(window.location.hash.slice(1)).get('token') ?? ''

function Frame({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Center mih="100vh" p="md" component="main">
      <Card withBorder shadow="sm" padding="lg" w="100%" maw={440}>
        <Stack>
          <Title order={1} size="h2">
            {title}
          </Title>
          {children}
        </Stack>
      </Card>
    </Center>
  )
}

const backToSignIn = (
  <Anchor
    href="/console/"
    size="sm"
    onClick={(e) => {
      e.preventDefault()
      window.history.replaceState(null, '', '/console/')
      navigate('/')
    }}
  >
    Back to sign-in
  </Anchor>
)

/** Two password fields that must agree; the submit waits for 12 characters. */
function NewPassword(p: { busy: boolean; action: string; onSubmit: (password: string) => void }) {
  const [a, setA] = useState('')
  const [b, setB] = useState('')
  const mismatch = b !== '' && a !== b
  return (
    <form
      onSubmit={(e: FormEvent) => {
        e.preventDefault()
        if (!mismatch) p.onSubmit(a)
      }}
    >
      <Stack>
        <PasswordInput
          label="New password"
          description="At least 12 characters; a few words are easy to remember and hard to guess"
          required
          value={a}
          onChange={(e) => setA(e.currentTarget.value)}
          autoComplete="new-password"
        />
        <PasswordInput
          label="The same password again"
          required
          value={b}
          error={mismatch ? 'The two passwords differ' : undefined}
          onChange={(e) => setB(e.currentTarget.value)}
          autoComplete="new-password"
        />
        <Button type="submit" loading={p.busy} disabled={a.length < 12 || a !== b}>
          {p.action}
        </Button>
      </Stack>
    </form>
  )
}

export function AcceptInvitation({ onSignedIn }: { onSignedIn: (s: SessionView) => void }) {
  const [error, setError] = useState('')
  const [busy, setBusy] = useState(false)
  const accept = async (password: string) => {
    setBusy(true)
    setError('')
    try {
      const s = await api<SessionView>('POST', '/console/api/accept-invitation', {
        json: { Token: tokenOfLink(), Password: password },
      })
      window.history.replaceState(null, '', '/console/')
      onSignedIn(s)
    } catch (e) {
      setError((e as Error).message)
    } finally {
      setBusy(false)
    }
  }
  return (
    <Frame title="Accept your invitation">
      <Text size="sm">Choose the password you will sign in with. The link works once.</Text>
      {error && (
        <Alert color="red" role="alert" title="Could not accept the invitation">
          {error}
        </Alert>
      )}
      <NewPassword busy={busy} action="Set password and sign in" onSubmit={accept} />
      {backToSignIn}
    </Frame>
  )
}

export function ResetPassword() {
  const token = tokenOfLink()
  const [email, setEmail] = useState('')
  const [error, setError] = useState('')
  const [done, setDone] = useState('')
  const [busy, setBusy] = useState(false)
  const run = async (f: () => Promise<string>) => {
    setBusy(true)
    setError('')
    try {
      setDone(await f())
    } catch (e) {
      setError((e as Error).message)
    } finally {
      setBusy(false)
    }
  }
  return (
    <Frame title="Reset your password">
      {error && (
        <Alert color="red" role="alert" title="Could not reset the password">
          {error}
        </Alert>
      )}
      {done ? (
        <Alert color="green" role="status">
          {done}
        </Alert>
      ) : token ? (
        <NewPassword
          busy={busy}
          action="Set new password"
          onSubmit={(password) =>
            run(async () => {
              await api('POST', '/console/api/password-reset/complete', { json: { Token: token, Password: password } })
              return 'Your password is changed, and every session of yours has ended. Sign in with the new one.'
            })
          }
        />
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault()
            void run(async () => {
              const r = await api<{ mail: string }>('POST', '/console/api/password-reset', {
                json: { Email: email.trim() },
              })
              return r.mail === 'not-configured'
                ? 'This server sends no mail: ask an owner of your account (or the operator) to invite you again.'
                : 'If that email has a user, a link to reset the password is on its way. It works once, for 72 hours.'
            })
          }}
        >
          <Stack>
            <TextInput
              label="Email"
              type="email"
              required
              value={email}
              onChange={(e) => setEmail(e.currentTarget.value)}
              autoComplete="username"
            />
            <Button type="submit" loading={busy}>
              Send a reset link
            </Button>
          </Stack>
        </form>
      )}
      {backToSignIn}
    </Frame>
  )
}
