/**
 * The checks a SHAKEN PASSporT and a div PASSporT (RFC 8946) share: the Identity `info` URI's
 * form, the canonical form numbers are compared in, and the ES256 signature over the received
 * bytes. Used by the pipeline (checks.ts) and the div chain (div-chain.ts).
 */
import { verify as cryptoVerify, type KeyObject } from 'node:crypto'
import { parseTn } from '../../domain/e164.js'
import { es256SignatureTextProblem, tryCanonicalTn } from '../passport/index.js'
import type { ReceivedJws } from './passport-decode.js'

// A signer uses one or two info URIs: their verdicts are memoised (bounded) off the hot path.
const infoMemo = new Map<string, string>()

/** Why `info` is not an http(s) absolute URI ('' when it is). The guard judges the rest (E8). */
export function infoProblem(info: string): string {
  let r = infoMemo.get(info)
  if (r === undefined) {
    try {
      const u = new URL(info)
      r = u.protocol === 'https:' || u.protocol === 'http:' ? '' : `info scheme ${u.protocol}`
    } catch {
      r = 'info is not an absolute URI'
    }
    if (infoMemo.size >= 1024) infoMemo.clear()
    if (info.length <= 2048) infoMemo.set(info, r)
  }
  return r
}

/**
 * The form From/To and the claims' orig/dest are compared in (E16): the canonical TN the
 * signing side decides (domain/e164.ts `parseTn`), so `2125550100`, `+1 212-555-0100` and a
 * claim `12125550100` are one number; for a number no numbering plan holds valid, its digits
 * as written (RFC 8224 §8.3). Judging numbering plans is the signer's business: verifiers
 * interoperate on digits (libstirshaken's `01256500600`).
 */
export function tnKey(raw: string, env: { readonly tn: { readonly maxLength: number } }): string | undefined {
  const r = parseTn(raw)
  return r.ok ? r.tn : tryCanonicalTn(raw, env.tn)
}

/** Why a received JWS's signature does not verify with `key`; '' when it does. */
export function signatureProblem({ signature, signingInput }: ReceivedJws, key: KeyObject): string {
  const text = es256SignatureTextProblem(signature)
  if (text) return text
  // The bytes go through buffers every call reuses (nothing awaits in between): no allocation.
  if (input.length < signingInput.length) input = Buffer.allocUnsafe(2 * signingInput.length)
  const data = input.subarray(0, input.write(signingInput, 'latin1'))
  sig.write(signature, 'base64url')
  return cryptoVerify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, sig) ? '' : 'signature does not verify'
}
let input = Buffer.allocUnsafe(2048)
const sig = Buffer.allocUnsafe(64)
