/**
 * An STI certificate over ACME (RFC 8555) with an SPC token (RFC 9447 Authority Token,
 * RFC 9448 `tkauth-01`), as STI-CAs issue them: an account keyed by a P-256 key, an order for
 * the `TNAuthList` identifier of the SPC, the `tkauth-01` challenge answered with the STI-PA's
 * SPC token (which names this account key's fingerprint), then the CSR and the chain. Every
 * request goes through the outbound guards; requests are JWS signed ES256 over a fresh nonce.
 */
import { createHash, createPublicKey, type KeyObject } from 'node:crypto'
import type { GuardedFetcher, GuardedResponse, GuardRules } from '../../security/guarded-fetch.js'
import { es256Sign } from '../passport/es256.js'
import { spcTnAuthList } from './tn-auth-list.js'

/** An STI-CA's ACME server: https on 443/8443 unless allowed, same-host redirects, certificate chains of a few KB. */
export function acmeRules(allow: readonly string[]): GuardRules {
  return {
    schemes: ['https:'],
    ports: [443, 8443],
    allow,
    allowUserinfo: false,
    allowQuery: true,
    timeoutMs: 10_000,
    maxBytes: 256 * 1024,
    maxRedirects: 2,
  }
}

/** The DER of the first PEM block labelled `label` (a CSR: CERTIFICATE REQUEST). */
export function pemDer(pem: string, label: string): Buffer {
  const m = new RegExp(`-----BEGIN ${label}-----([\\s\\S]+?)-----END ${label}-----`).exec(pem)
  if (!m) throw new RangeError(`no ${label} PEM block`)
  return Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64')
}

/** The account key's fingerprint as the STI-PA puts it in an SPC token: `SHA256 AB:CD:…` over its SPKI. */
export function accountFingerprint(key: KeyObject): string {
  const der = (key.type === 'private' ? createPublicKey(key) : key).export({ type: 'spki', format: 'der' })
  return 'SHA256 ' + createHash('sha256').update(der).digest('hex').toUpperCase().match(/../g)!.join(':')
}

/** The order identifier for an SPC (RFC 9448 §3): the DER TNAuthList, base64url. */
export function tnAuthListIdentifier(spc: string): { readonly type: 'TNAuthList'; readonly value: string } {
  return { type: 'TNAuthList', value: Buffer.from(spcTnAuthList(spc)).toString('base64url') }
}

export interface AcmeOptions {
  readonly fetcher: GuardedFetcher
  readonly directoryUrl: string
  /** The account's private key (P-256). */
  readonly key: KeyObject
  /** How often, and how long, to poll an order. */
  readonly pollMs?: number
  readonly timeoutMs?: number
}

type Json = Record<string, unknown>

/** An ACME problem document or a broken answer, named by the step that met it. */
class AcmeError extends Error {
  constructor(step: string, why: string | GuardedResponse) {
    super(
      `ACME ${step} failed: ${typeof why === 'string' ? why : `HTTP ${why.status} ${why.body.toString('utf8').slice(0, 300)}`}`,
    )
    this.name = 'AcmeError'
  }
}

/** The public half of a P-256 key as a JWK, its members only (no private `d`). */
function publicJwk(key: KeyObject): {
  readonly kty?: string
  readonly crv?: string
  readonly x?: string
  readonly y?: string
} {
  const { kty, crv, x, y } = createPublicKey(key).export({ format: 'jwk' })
  return { kty, crv, x, y }
}

const b64u = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url')

function json(r: GuardedResponse, step: string): Json {
  try {
    const v: unknown = JSON.parse(r.body.toString('utf8'))
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Json
  } catch {
    /* below */
  }
  throw new AcmeError(step, `not a JSON object: ${r.body.toString('utf8').slice(0, 100)}`)
}

const str = (o: Json, k: string, step: string): string => {
  const v = o[k]
  if (typeof v !== 'string' || !v) throw new AcmeError(step, `no ${k}`)
  return v
}

/** One account's conversation with one STI-CA. */
export class AcmeClient {
  readonly #o: AcmeOptions
  #dir?: Json
  #nonce?: string
  #kid?: string

  constructor(o: AcmeOptions) {
    this.#o = o
  }

  async #directory(): Promise<Json> {
    if (!this.#dir) {
      const r = await this.#o.fetcher.fetch(this.#o.directoryUrl)
      if (r.status !== 200) throw new AcmeError('directory', r)
      this.#dir = json(r, 'directory')
      for (const k of ['newNonce', 'newAccount', 'newOrder']) str(this.#dir, k, 'directory')
    }
    return this.#dir
  }

  async #freshNonce(): Promise<string> {
    const r = await this.#o.fetcher.fetch(str(await this.#directory(), 'newNonce', 'directory'))
    const n = r.headers['replay-nonce']
    if (!n) throw new AcmeError('newNonce', 'no Replay-Nonce')
    return n
  }

  /** A signed POST (`payload` undefined: POST-as-GET); retried once on a bad nonce (RFC 8555 §6.5). */
  async #post(
    url: string,
    payload: Json | undefined,
    step: string,
    accept = 'application/json',
  ): Promise<GuardedResponse> {
    for (let attempt = 0; ; attempt++) {
      const nonce = this.#nonce ?? (await this.#freshNonce())
      this.#nonce = undefined
      // The account URL once there is one; before, the public key itself (RFC 8555 §6.2).
      const who = this.#kid ? { kid: this.#kid } : { jwk: publicJwk(this.#o.key) }
      const header = b64u({ alg: 'ES256', nonce, url, ...who })
      const body = b64u(payload === undefined ? '' : payload)
      const r = await this.#o.fetcher.fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/jose+json', accept },
        body: JSON.stringify({
          protected: header,
          payload: body,
          signature: es256Sign(`${header}.${body}`, this.#o.key),
        }),
      })
      this.#nonce = r.headers['replay-nonce'] || undefined
      if (r.status === 400 && attempt === 0 && /badNonce/.test(r.body.toString('utf8'))) continue
      if (r.status >= 400) throw new AcmeError(step, r)
      return r
    }
  }

  /** Registers (or finds) the account; returns its URL. */
  async account(): Promise<string> {
    if (!this.#kid) {
      const r = await this.#post(
        str(await this.#directory(), 'newAccount', 'directory'),
        { termsOfServiceAgreed: true },
        'newAccount',
      )
      const kid = r.headers.location
      if (!kid) throw new AcmeError('newAccount', 'no Location')
      this.#kid = kid
    }
    return this.#kid
  }

  /**
   * Orders a certificate for `spc`: answers the `tkauth-01` challenge with `spcToken`, sends the
   * CSR (DER) once the order is ready, and returns the PEM chain.
   */
  async certificate(spc: string, spcToken: string, csrDer: Uint8Array): Promise<string> {
    await this.account()
    const created = await this.#post(
      str(await this.#directory(), 'newOrder', 'directory'),
      { identifiers: [tnAuthListIdentifier(spc)] },
      'newOrder',
    )
    const orderUrl = created.headers.location
    if (!orderUrl) throw new AcmeError('newOrder', 'no Location')
    let order = json(created, 'newOrder')
    const authzs = order.authorizations
    if (!Array.isArray(authzs) || authzs.length === 0) throw new AcmeError('newOrder', 'no authorizations')
    for (const url of authzs) {
      if (typeof url !== 'string') throw new AcmeError('newOrder', 'an authorization URL is not a string')
      const authz = json(await this.#post(url, undefined, 'authorization'), 'authorization')
      if (authz.status === 'valid') continue
      const ch = (Array.isArray(authz.challenges) ? authz.challenges : []).find(
        (c): c is Json => typeof c === 'object' && c !== null && (c as Json).type === 'tkauth-01',
      )
      if (!ch) throw new AcmeError('authorization', 'no tkauth-01 challenge')
      await this.#post(str(ch, 'url', 'challenge'), { atc: spcToken }, 'tkauth-01 challenge')
    }
    order = await this.#until(orderUrl, (s) => s === 'ready' || s === 'valid' || s === 'processing', 'order')
    if (order.status === 'ready') {
      order = json(
        await this.#post(
          str(order, 'finalize', 'order'),
          { csr: Buffer.from(csrDer).toString('base64url') },
          'finalize',
        ),
        'finalize',
      )
    }
    order = await this.#until(orderUrl, (s) => s === 'valid', 'order', order)
    const cert = await this.#post(
      str(order, 'certificate', 'order'),
      undefined,
      'certificate download',
      'application/pem-certificate-chain',
    )
    return cert.body.toString('utf8')
  }

  /** Polls an order until `done(status)`; `invalid` (or the deadline) ends it with an error. */
  async #until(url: string, done: (status: unknown) => boolean, step: string, first?: Json): Promise<Json> {
    const deadline = performance.now() + (this.#o.timeoutMs ?? 120_000)
    let o = first ?? json(await this.#post(url, undefined, step), step)
    while (!done(o.status)) {
      if (o.status === 'invalid') throw new AcmeError(step, `invalid: ${JSON.stringify(o.error ?? null).slice(0, 300)}`)
      if (performance.now() > deadline) throw new AcmeError(step, `still ${String(o.status)} at the deadline`)
      await new Promise((r) => setTimeout(r, this.#o.pollMs ?? 1000))
      o = json(await this.#post(url, undefined, step), step)
    }
    return o
  }
}
