/**
 * ES256 signing (RFC 7518 §3.4: raw r‖s, base64url) for every JWS stirhub signs, by one of
 * two backends: the native addon (native/es256.c), which keeps one OpenSSL context per key
 * and takes about a quarter less time per signature, or node:crypto itself. The addon signs
 * with a key only after a signature it made verified with node:crypto;
 * `STIRHUB_NATIVE_SIGNER=off` (`useNativeEs256(false)`) keeps everything in node:crypto.
 */
import { createPublicKey, randomBytes, sign as cryptoSign, verify as cryptoVerify, type KeyObject } from 'node:crypto'
import { loadEs256Addon, type AddonLoad } from './native/addon.js'

type SignFn = (input: string) => string

let wanted = true
let addonFile: string | undefined
let loaded: AddonLoad | undefined
let perKey = new WeakMap<KeyObject, SignFn>()
let lastKey: KeyObject | undefined
let lastFn: SignFn | undefined
let keyProblem: string | undefined

/** Turns the native backend on (the default, when it loads) or off; later signatures follow. */
export function useNativeEs256(on: boolean): void {
  wanted = on
  lastKey = undefined
}

/**
 * Loads the addon from `file` instead of build/es256.node from the next signature on (a file
 * that is not there: node:crypto signs, as on a machine that could not build it). Keys seen
 * before get a signer of the new backend. Tests load it in a child process.
 * @public
 */
export function useEs256AddonFile(file: string): void {
  addonFile = file
  loaded = undefined
  perKey = new WeakMap()
  lastKey = undefined
  keyProblem = undefined
}

/** Which backend signs, and why not the native one when it does not. */
export function es256Backend(): { readonly native: boolean; readonly detail: string } {
  if (!wanted) return { native: false, detail: 'node:crypto (STIRHUB_NATIVE_SIGNER=off)' }
  const l = addon()
  if (l.addon === undefined) return { native: false, detail: `node:crypto (native signer unavailable: ${l.problem})` }
  if (keyProblem) return { native: false, detail: `node:crypto (native signer refused a key: ${keyProblem})` }
  return { native: true, detail: `native (${l.openssl}, N-API)` }
}

/** ES256 over a JWS signing input (base64url, so ASCII: its latin1 bytes), base64url r‖s. */
export function es256Sign(input: string, key: KeyObject): string {
  if (key !== lastKey) {
    lastFn = signerFor(key)
    lastKey = key
  }
  return lastFn!(input)
}

function addon(): AddonLoad {
  return (loaded ??= loadEs256Addon(addonFile))
}

function signerFor(key: KeyObject): SignFn {
  if (!wanted) return nodeSigner(key)
  let fn = perKey.get(key)
  if (fn === undefined) {
    fn = nativeSigner(key) ?? nodeSigner(key)
    perKey.set(key, fn)
  }
  return fn
}

function nodeSigner(key: KeyObject): SignFn {
  const opts = { key, dsaEncoding: 'ieee-p1363' } as const
  return (input) => cryptoSign('sha256', Buffer.from(input, 'latin1'), opts).toString('base64url')
}

/** The addon's signer for `key`, once a signature it made verifies with node:crypto; else undefined. */
function nativeSigner(key: KeyObject): SignFn | undefined {
  const a = addon().addon
  if (a === undefined || key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1')
    return undefined
  const der = key.export({ format: 'der', type: 'pkcs8' })
  try {
    const handle = a.create(der)
    const probe = randomBytes(48).toString('base64url')
    const sig = a.sign(handle, probe)
    const ok = cryptoVerify(
      'sha256',
      Buffer.from(probe, 'latin1'),
      { key: createPublicKey(key), dsaEncoding: 'ieee-p1363' },
      Buffer.from(sig, 'base64url'),
    )
    if (!ok) throw new Error('its self-test signature did not verify')
    return (input) => a.sign(handle, input)
  } catch (e) {
    keyProblem = e instanceof Error ? e.message : String(e)
    return undefined
  } finally {
    der.fill(0)
  }
}
