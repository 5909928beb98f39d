/**
 * Secrets at rest. Auth tokens and API-key secrets are stored as SHA-256 digests (they are
 * 128-bit random values, so a slow KDF adds nothing but latency on every request); anything
 * that must be recovered (the auth token Twilio-style webhooks are signed with, private keys)
 * is sealed with AES-256-GCM under a key derived from the master key.
 */
import { createCipheriv, createDecipheriv, hash, randomBytes, timingSafeEqual, hkdfSync } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { makePrivateDir, PRIVATE_FILE_MODE } from './private-files.js'

// crypto.hash (one shot, no Hash object) is half the cost of createHash: it runs on every API request.
export function hashSecret(secret: string): string {
  return hash('sha256', secret)
}

/** Constant-time comparison of a presented secret with a stored digest. */
export function secretMatches(secret: string, digestHex: string): boolean {
  const a = hash('sha256', secret, 'buffer')
  const b = Buffer.from(digestHex, 'hex')
  return a.length === b.length && timingSafeEqual(a, b)
}

/** Seals and opens values with one master key; the `purpose` separates key uses (HKDF info). */
export interface Sealer {
  seal(plain: Buffer | string, purpose: string): string
  open(sealed: string, purpose: string): Buffer
}

export function createSealer(masterKey: string): Sealer {
  const ikm = Buffer.from(masterKey, 'utf8')
  const keyFor = (purpose: string) => Buffer.from(hkdfSync('sha256', ikm, Buffer.alloc(0), `stirhub:${purpose}`, 32))
  return {
    seal(plain, purpose) {
      const iv = randomBytes(12)
      const c = createCipheriv('aes-256-gcm', keyFor(purpose), iv)
      const body = Buffer.concat([c.update(typeof plain === 'string' ? Buffer.from(plain, 'utf8') : plain), c.final()])
      return `v1.${iv.toString('base64url')}.${Buffer.concat([body, c.getAuthTag()]).toString('base64url')}`
    },
    open(sealed, purpose) {
      const [v, ivB64, dataB64] = sealed.split('.')
      if (v !== 'v1' || !ivB64 || !dataB64) throw new Error('not a sealed value')
      const data = Buffer.from(dataB64, 'base64url')
      const d = createDecipheriv('aes-256-gcm', keyFor(purpose), Buffer.from(ivB64, 'base64url'))
      d.setAuthTag(data.subarray(data.length - 16))
      return Buffer.concat([d.update(data.subarray(0, data.length - 16)), d.final()])
    },
  }
}

/**
 * The master key: the configured one, or in development a key generated once under the data
 * dir (0600, in a data dir made 0700) so a fresh `npm start` works with no setup.
 */
export function resolveMasterKey(configured: string | undefined, dataDir: string): string {
  if (configured) return configured
  const file = path.join(dataDir, 'master.key')
  try {
    return fs.readFileSync(file, 'utf8').trim()
  } catch {
    makePrivateDir(dataDir)
    const key = randomBytes(32).toString('base64url')
    fs.writeFileSync(file, key + '\n', { mode: PRIVATE_FILE_MODE, flag: 'wx' })
    return key
  }
}
