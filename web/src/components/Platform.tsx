/**
 * The operator's view of what the server signs and verifies with (`GET /admin/v1/Platform`):
 * the STI certificate and how long it has left, and the trusted STI-CA roots with the STI-PA
 * trust list they come from.
 */
import { useEffect, useState } from 'react'
import { Alert, Badge, Card, Group, Stack, Text, Title } from '@mantine/core'
import { api } from '../api'

/** GET /admin/v1/Platform. */
interface Platform {
  mode: string
  store: string
  signing_certificate: { sid: string; spc: string; not_after: string; x5u: string } | null
  es256_signer: { native: boolean; detail: string }
  http_fast_lane: boolean
  trust_anchors: { subject: string; sha256: string; not_after: string }[]
  trust_list: {
    sequence: number | null
    version: string | null
    expires_at: string | null
    signer: string
    roots: number
  } | null
}

const DAY = 86_400_000

/** Days left until an RFC 2822 date (the API's date format), and a colour for them. */
function daysLeft(date: string): { days: number; color: string } {
  const days = Math.floor((Date.parse(date) - Date.now()) / DAY)
  return { days, color: days < 0 ? 'red' : days < 30 ? 'orange' : 'green' }
}

const MODE_WORDS: Record<string, string> = { development: 'Development mode', production: 'Production' }
const STORE_WORDS: Record<string, string> = { sqlite: 'SQLite', postgres: 'PostgreSQL' }

/** The platform's state, or the error that kept it from loading. */
export function usePlatform() {
  const [p, setP] = useState<Platform | undefined>()
  const [error, setError] = useState<unknown>()
  useEffect(() => {
    api<Platform>('GET', '/admin/v1/Platform').then(setP).catch(setError)
  }, [])
  return { platform: p, error }
}

/** The platform card, loading its own data (the queue page shows it to the operator). */
export function PlatformCard() {
  const { platform, error } = usePlatform()
  if (error) return <Alert color="red">{(error as Error).message}</Alert>
  return platform ? <PlatformSummary p={platform} /> : null
}

/** What the server signs and verifies with, in a card. */
export function PlatformSummary({ p, title = 'Platform' }: { p: Platform; title?: string }) {
  const cert = p.signing_certificate
  const left = cert && daysLeft(cert.not_after)
  const list = p.trust_list
  return (
    <Card withBorder aria-label="Platform">
      <Stack gap="xs">
        <Group justify="space-between">
          <Title order={3}>{title}</Title>
          <Text size="sm" c="dimmed">
            {MODE_WORDS[p.mode] ?? p.mode} · {STORE_WORDS[p.store] ?? p.store}
          </Text>
        </Group>
        {cert && left ? (
          <Text>
            Signing as SPC <b>{cert.spc}</b> · certificate{' '}
            <Badge color={left.color}>{left.days < 0 ? 'expired' : `${left.days} days left`}</Badge>{' '}
            <Text span size="sm" c="dimmed">
              {cert.x5u}
            </Text>
          </Text>
        ) : (
          <Alert color="red">No STI certificate: calls are not signed until `stirhub cert import`.</Alert>
        )}
        <Text size="sm">
          ES256: {p.es256_signer.detail} · HTTP fast lane: {p.http_fast_lane ? 'on' : 'off (STIRHUB_HTTP_FAST_LANE)'}
        </Text>
        <Text>
          Trusted STI-CA roots: <b>{p.trust_anchors.length}</b>
          {list ? (
            <>
              {' '}
              · STI-PA trust list sequence {list.sequence ?? '–'}, {list.roots} roots
              {list.expires_at ? `, expires ${new Date(list.expires_at).toLocaleDateString()}` : ''}
            </>
          ) : (
            ' · no STI-PA trust list'
          )}
        </Text>
        {p.trust_anchors.length === 0 && (
          <Alert color="orange">No trust anchors: every call from another carrier fails verification.</Alert>
        )}
      </Stack>
    </Card>
  )
}
