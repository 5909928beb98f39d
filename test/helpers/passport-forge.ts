/**
 * Hand-built PASSporTs for verifier tests: any header and payload (including wrong ones),
 * signed ES256 with raw r‖s over exactly the bytes produced, or not at all.
 */
import { sign, type KeyObject } from 'node:crypto'

const b64u = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v), 'utf8').toString('base64url')

/** A full-form JWS over arbitrary header/payload JSON (strings are used verbatim). */
export function forgeJws(header: unknown, payload: unknown, key: KeyObject): string {
  const input = `${b64u(header)}.${b64u(payload)}`
  return `${input}.${sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`
}

/** The usual SHAKEN header for an x5u. */
export const shakenHeader = (x5u: string) => ({ alg: 'ES256', ppt: 'shaken', typ: 'passport', x5u })

/** SHAKEN claims with defaults, overridable member by member. */
export function shakenClaims(iat: number, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    attest: 'A',
    dest: { tn: ['12025550143'] },
    iat,
    orig: { tn: '12155550121' },
    origid: '123e4567-e89b-12d3-a456-426655440000',
    ...over,
  }
}

/** An Identity header value for a JWS. */
export const identityOf = (jws: string, info: string, extra = ';alg=ES256;ppt=shaken') =>
  `${jws};info=<${info}>${extra}`
