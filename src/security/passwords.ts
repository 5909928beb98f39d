/**
 * Password hashes: scrypt (node:crypto, RFC 7914) with a per-user 16-byte salt. The string
 * carries its parameters (`scrypt$N$r$p$salt$hash`), so raising the cost later leaves old
 * hashes verifiable. N = 2^15, r = 8 (32 MiB, about 50 ms a hash) is OWASP's scrypt floor
 * and well above it in memory; the async form keeps the event loop free while it runs.
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto'

const N = 1 << 15
const R = 8
const P = 1
const KEYLEN = 32

function scrypt(password: string, salt: Buffer, keylen: number, o: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCb(password.normalize('NFKC'), salt, keylen, o, (err, key) => (err ? reject(err) : resolve(key))),
  )
}

/** Memory scrypt may use: 128·N·r bytes, with room to spare. */
const maxmem = (n: number, r: number) => 256 * n * r

/** The storable hash of a password. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16)
  const key = await scrypt(password, salt, KEYLEN, { N, r: R, p: P, maxmem: maxmem(N, R) })
  return ['scrypt', N, R, P, salt.toString('base64url'), key.toString('base64url')].join('$')
}

/** True when `password` matches `stored`; false for any malformed or unknown hash. */
export async function passwordMatches(password: string, stored: string): Promise<boolean> {
  const [alg, n, r, p, salt, key] = stored.split('$')
  if (alg !== 'scrypt' || !salt || !key) return false
  const o = { N: Number(n), r: Number(r), p: Number(p) }
  // Parameters outside what this module writes would let a planted hash exhaust memory.
  if (!(o.N >= 2 && o.N <= 1 << 20 && o.r >= 1 && o.r <= 32 && o.p >= 1 && o.p <= 4)) return false
  const want = Buffer.from(key, 'base64url')
  const got = await scrypt(password, Buffer.from(salt, 'base64url'), want.length, { ...o, maxmem: maxmem(o.N, o.r) })
  return got.length === want.length && timingSafeEqual(got, want)
}

/** A hash no password matches, checked when an email is unknown so the answer takes as long. */
export const DECOY_HASH = `scrypt$${N}$${R}$${P}$${'A'.repeat(22)}$${'A'.repeat(43)}`
