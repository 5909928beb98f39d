/**
 * How a branded call appears on a phone's incoming-call screen: the verified name, the logo
 * (as fetched by the server: a data: URI, since the console loads no outside image) and the
 * call reason; a CNAM caller name shows as a landline's caller ID. A drawing, not a promise:
 * each handset lays the screen out its own way.
 */
import { Box, Image, Stack, Text } from '@mantine/core'
import { formatNumber } from '../../phone'

export interface PreviewProps {
  readonly kind: 'branded_calls' | 'cnam'
  readonly name: string
  readonly logo?: string | null
  readonly reason?: string
  readonly number?: string
}

export function PhonePreview(p: PreviewProps) {
  const initial = p.name.trim().charAt(0).toUpperCase() || '?'
  return (
    <Box
      role="img"
      aria-label={`Phone preview: ${p.name || 'no name'}${p.reason ? `, ${p.reason}` : ''}`}
      data-testid="phone-preview"
      maw={260}
      p="lg"
      style={{ borderRadius: 28, background: '#14213d', color: '#fff', border: '6px solid #222' }}
    >
      <Stack align="center" gap={6} aria-hidden>
        <Text size="xs" c="#e8e8e8">
          {p.kind === 'cnam' ? 'Incoming call' : 'Verified business · incoming call'}
        </Text>
        {p.kind === 'branded_calls' && p.logo ? (
          <Image src={p.logo} alt="" w={72} h={72} radius="xl" fit="contain" bg="#fff" />
        ) : (
          <Box
            w={72}
            h={72}
            style={{ borderRadius: 36, background: '#3d5a80', display: 'grid', placeItems: 'center', fontSize: 32 }}
          >
            {initial}
          </Box>
        )}
        <Text fw={700} size="lg" ta="center" style={{ wordBreak: 'break-word' }} data-testid="preview-name">
          {p.name || 'Your name here'}
        </Text>
        {p.number && (
          <Text size="sm" c="#e8e8e8">
            {formatNumber(p.number)}
          </Text>
        )}
        {p.kind === 'branded_calls' && p.reason && (
          <Text size="sm" c="#e8e8e8" ta="center" data-testid="preview-reason">
            {p.reason}
          </Text>
        )}
      </Stack>
    </Box>
  )
}
