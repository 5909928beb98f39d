/**
 * A person's own security: the browsers signed in as them (each can be signed out from here),
 * and two-factor — enrol with a QR code, confirm with a code, keep the recovery codes shown once.
 */
import { useEffect, useState } from 'react'
import {
  Alert,
  Badge,
  Button,
  Card,
  Code,
  Group,
  Image,
  List,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core'
import { api, type SessionUser } from '../../api'
import { ListTable, LoadError } from '../operator/common'

interface BrowserSession {
  readonly sid: string
  readonly browser: string
  readonly ip: string
  readonly date_created: string
  readonly last_seen: string
  readonly current: boolean
}

/** "2 hours ago", "just now". */
function ago(iso: string, now = Date.now()): string {
  const sec = Math.max(0, Math.round((now - Date.parse(iso)) / 1000))
  if (sec < 60) return 'just now'
  const rtf = new Intl.RelativeTimeFormat('en', { numeric: 'always' })
  if (sec < 3600) return rtf.format(-Math.floor(sec / 60), 'minute')
  if (sec < 86400) return rtf.format(-Math.floor(sec / 3600), 'hour')
  return rtf.format(-Math.floor(sec / 86400), 'day')
}

interface Enrolment {
  readonly secret: string
  readonly qr_svg: string
}

function TwoFactor({ user, onChange }: { user: SessionUser; onChange: () => void }) {
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null)
  const [code, setCode] = useState('')
  const [codes, setCodes] = useState<string[] | null>(null)
  const [error, setError] = useState('')
  const start = async () => {
    setError('')
    setEnrolment(await api<Enrolment>('POST', '/console/api/two-factor'))
  }
  const confirm = async () => {
    setError('')
    try {
      const r = await api<{ recovery_codes: string[] }>('POST', '/console/api/two-factor/confirm', {
        json: { Code: code.trim() },
      })
      setCodes(r.recovery_codes)
      setEnrolment(null)
      onChange()
    } catch (e) {
      setError((e as Error).message)
    }
  }
  return (
    <Card withBorder>
      <Stack gap="xs">
        <Title order={3} size="h4">
          Two-factor sign-in
        </Title>
        {user.must_enrol_two_factor && (
          <Alert color="yellow" role="alert">
            Your account requires two-factor: enrol below before anything else.
          </Alert>
        )}
        {codes && (
          <Alert color="yellow" title="Your recovery codes" role="alert" data-testid="recovery-codes">
            <Text size="sm">
              Keep them somewhere safe: each signs you in once if you lose your phone. They are shown only this once.
            </Text>
            <List size="sm" mt="xs">
              {codes.map((c) => (
                <List.Item key={c}>
                  <Code>{c}</Code>
                </List.Item>
              ))}
            </List>
          </Alert>
        )}
        {user.two_factor && !enrolment ? (
          <Text size="sm">
            <Badge color="green" variant="light">
              On
            </Badge>{' '}
            Signing in asks for a code from your authenticator app.
          </Text>
        ) : enrolment ? (
          <form
            onSubmit={(e) => {
              e.preventDefault()
              void confirm()
            }}
          >
            <Stack gap="xs">
              <Text size="sm">Scan this code with your authenticator app, then enter the 6 digits it shows.</Text>
              <Image
                src={`data:image/svg+xml;utf8,${encodeURIComponent(enrolment.qr_svg)}`}
                alt="QR code of your two-factor secret"
                w={200}
                h={200}
                bg="white"
              />
              <Text size="sm">
                Or type the key: <Code data-testid="totp-secret">{enrolment.secret}</Code>
              </Text>
              <Group align="end" gap="xs">
                <TextInput
                  label="Code from the app"
                  required
                  value={code}
                  onChange={(e) => setCode(e.currentTarget.value)}
                  autoComplete="one-time-code"
                />
                <Button type="submit">Turn on two-factor</Button>
              </Group>
            </Stack>
          </form>
        ) : (
          <Group>
            <Text size="sm">Off: signing in needs only your password.</Text>
            <Button variant="light" onClick={() => void start()}>
              Set up two-factor
            </Button>
          </Group>
        )}
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
      </Stack>
    </Card>
  )
}

export function Security({ user, onChange }: { user: SessionUser; onChange: () => void }) {
  const [rows, setRows] = useState<BrowserSession[] | undefined>()
  const [error, setError] = useState<unknown>()
  const [tick, setTick] = useState(0)
  useEffect(() => {
    api<{ sessions: BrowserSession[] }>('GET', '/console/api/sessions')
      .then((r) => setRows(r.sessions))
      .catch(setError)
  }, [tick])
  const revoke = async (sid: string) => {
    await api('DELETE', `/console/api/sessions/${sid}`)
    setTick((t) => t + 1)
  }
  return (
    <Stack maw={1100}>
      <Title order={2}>Security</Title>
      <Text size="sm" c="dimmed">
        Signed in as {user.email} ({user.role}).
      </Text>
      <TwoFactor user={user} onChange={onChange} />
      <Title order={3} size="h4">
        Where you are signed in
      </Title>
      <LoadError error={error} what="The sessions list" />
      <ListTable
        label="Sessions"
        minWidth={560}
        headers={['Browser', 'Last active', 'Signed in', 'Actions']}
        rows={rows}
        empty="No sessions."
      >
        {(rows ?? []).map((r) => (
          <Table.Tr key={r.sid} data-sid={r.sid}>
            <Table.Td>
              <Text size="sm" fw={600}>
                {r.browser}
              </Text>
              <Text size="xs" c="dimmed">
                {r.ip}
              </Text>
            </Table.Td>
            <Table.Td>{ago(r.last_seen)}</Table.Td>
            <Table.Td>{ago(r.date_created)}</Table.Td>
            <Table.Td>
              {r.current ? (
                <Badge variant="light">This browser</Badge>
              ) : (
                <Button size="compact-sm" variant="light" color="red" onClick={() => void revoke(r.sid)}>
                  Sign out
                </Button>
              )}
            </Table.Td>
          </Table.Tr>
        ))}
      </ListTable>
    </Stack>
  )
}
