/**
 * TOTP two-factor codes (RFC 6238 over RFC 4226 HOTP): HMAC-SHA-1, 6 digits, 30-second
 * steps, one step of clock drift either way — what every authenticator app does by default.
 * A code's step is remembered once used, so a code seen over a shoulder cannot be replayed.
 */
import { createHmac, randomBytes } from 'node:crypto'

const STEP_SEC = 30
const DIGITS = 6
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'

/** RFC 4648 base32 without padding (how otpauth URIs carry the secret). */
export function base32(buf: Buffer): string {
  let bits = 0
  let value = 0
  let out = ''
  for (const byte of buf) {
    value = (value << 8) | byte
    bits += 8
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31]
      bits -= 5
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31]
  return out
}

/** A new 160-bit secret (RFC 4226 §4 recommends the HMAC's output size). */
export const newTotpSecret = (): Buffer => randomBytes(20)

/** The HOTP value of `counter` (RFC 4226 §5.3), as 6 digits. */
export function hotp(secret: Buffer, counter: number): string {
  const msg = Buffer.alloc(8)
  msg.writeBigUInt64BE(BigInt(counter))
  const mac = createHmac('sha1', secret).update(msg).digest()
  const offset = mac[mac.length - 1]! & 0x0f
  const bin = mac.readUInt32BE(offset) & 0x7fffffff
  return String(bin % 10 ** DIGITS).padStart(DIGITS, '0')
}

/** The 30-second step `epochMs` falls in. */
export const stepOf = (epochMs: number): number => Math.floor(epochMs / 1000 / STEP_SEC)

/**
 * The step `code` is valid for at `epochMs` (this step or one either side), else undefined;
 * steps at or before `usedStep` are refused (each code works once).
 */
export function matchTotp(secret: Buffer, code: string, epochMs: number, usedStep = -1): number | undefined {
  const c = code.replace(/\s+/g, '')
  if (!/^\d{6}$/.test(c)) return undefined
  const now = stepOf(epochMs)
  for (const step of [now - 1, now, now + 1]) if (step > usedStep && hotp(secret, step) === c) return step
  return undefined
}

/** The otpauth URI authenticator apps read from the QR code (Google Authenticator's Key Uri Format). */
export function otpauthUri(secret: Buffer, account: string, issuer = 'stirhub'): string {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(account)}`
  return `otpauth://totp/${label}?secret=${base32(secret)}&issuer=${encodeURIComponent(issuer)}&algorithm=SHA1&digits=${DIGITS}&period=${STEP_SEC}`
}

/** Ten recovery codes (`xxxxx-xxxxx`, 50 random bits each), shown once. */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: 10 }, () => {
    const s = base32(randomBytes(7)).slice(0, 10).toLowerCase()
    return `${s.slice(0, 5)}-${s.slice(5)}`
  })
}

/** A recovery code as stored and compared: lowercase, no dash or spaces. */
export const normaliseRecoveryCode = (code: string): string => code.toLowerCase().replace(/[\s-]+/g, '')
