/**
 * The STI-PA trust list (the "CA list" of the STI-PA API, `GET /api/v1/ca-list`): a JWS the
 * STI-PA signs with ES256, whose payload `trustList` holds the approved STI-CA roots (base64
 * DER or PEM), with `exp`, `sequence` and `version`. The API answers `{"status":"success",
 * "caList":"<jws>"}`; the JWS header's `x5u` names the STI-PA signing certificate.
 *
 * Its roots are trusted only after the list itself is: signature over the received bytes,
 * signer chained to the configured STI-PA roots and valid now, list not expired, sequence not
 * older than the list in use. A trust-list file holds the JWS (bare or in the API's JSON) and
 * the signer's chain as PEM blocks, which `stirhub trust-list import` fetches once from x5u: the
 * server then checks the list with no network, at boot and on every change of the file.
 */
import fs from 'node:fs'
import path from 'node:path'
import { X509Certificate } from 'node:crypto'
import { derToPem } from '../cert/chain.js'
import { splitJws, verifyJwsSignature } from '../passport/passport.js'
import { validatePath } from './path-validation.js'
import { certsFromPem, trustStoreOf, type TrustStore } from './trust-store.js'

/** Largest trust-list file read (today's list holds a few dozen roots, ~1 KB each). */
const TRUST_LIST_MAX_BYTES = 4 * 1024 * 1024

/** A trust list whose signature, signer and dates were checked. */
export interface TrustList {
  /** The STI-CA roots it lists (CA certificates only). */
  readonly roots: readonly X509Certificate[]
  /** Entries that were not CA certificates, or did not parse. */
  readonly skipped: number
  readonly sequence?: number
  readonly version?: string
  /** Expiry, seconds since the epoch, when the list states one. */
  readonly exp?: number
  /** Subject of the STI-PA certificate that signed it. */
  readonly signer: string
}

export type TrustListResult =
  | { readonly ok: true; readonly list: TrustList }
  | { readonly ok: false; readonly problem: string }

/** The parts of a trust-list file, before any check. */
interface TrustListFile {
  readonly jws: string
  readonly header: Record<string, unknown>
  /** The signer's chain as found in the file (PEM blocks), or in the header's `x5c`. */
  readonly signerChain: readonly X509Certificate[]
}

const PEM_ANY = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

function jsonPart(b64u: string): unknown {
  try {
    return JSON.parse(Buffer.from(b64u, 'base64url').toString('utf8'))
  } catch {
    return undefined
  }
}

/** One certificate from a list entry: PEM, or base64 DER (the STI-PA sends either). */
function entryCert(entry: unknown): X509Certificate | undefined {
  if (typeof entry !== 'string' || entry.length > 64 * 1024) return undefined
  try {
    return entry.includes('-----BEGIN')
      ? certsFromPem(entry)[0]
      : new X509Certificate(Buffer.from(entry.replace(/\s+/g, ''), 'base64'))
  } catch {
    return undefined
  }
}

/** Splits a trust-list file into its JWS and signer chain; a string says what is wrong. */
function parseTrustListFile(text: string): TrustListFile | string {
  if (text.length > TRUST_LIST_MAX_BYTES) return `larger than ${TRUST_LIST_MAX_BYTES} bytes`
  const pems = text.match(PEM_ANY) ?? []
  const rest = text.replace(PEM_ANY, '').trim()
  let jws = rest
  if (rest.startsWith('{')) {
    let body: unknown
    try {
      body = JSON.parse(rest)
    } catch {
      return "not a JWS, nor the STI-PA API's JSON"
    }
    if (!isObject(body) || typeof body.caList !== 'string') return 'the JSON has no caList string'
    if (body.status !== undefined && body.status !== 'success')
      return `the STI-PA answered status ${JSON.stringify(body.status)}`
    jws = body.caList.trim()
  }
  const parts = splitJws(jws)
  if (!parts) return 'the list is not a compact JWS (header.payload.signature)'
  const header = jsonPart(parts.header)
  if (!isObject(header)) return 'the JWS header is not a JSON object'
  let signerChain = pems.flatMap((p) => certsFromPem(p))
  if (signerChain.length === 0 && Array.isArray(header.x5c)) {
    signerChain = header.x5c.map(entryCert).filter((c): c is X509Certificate => c !== undefined)
  }
  return { jws, header, signerChain }
}

/**
 * Checks a trust-list file against the STI-PA roots at `now` and returns the STI-CA roots it
 * lists. `minSequence`: the sequence of the list in use (an older list is a rollback).
 */
export function verifyTrustList(
  text: string,
  stiPaRoots: TrustStore,
  now: Date,
  minSequence?: number,
): TrustListResult {
  const fail = (problem: string): TrustListResult => ({ ok: false, problem })
  const file = parseTrustListFile(text)
  if (typeof file === 'string') return fail(file)
  if (file.header.alg !== 'ES256') return fail(`alg ${JSON.stringify(file.header.alg)} is not ES256`)
  if (file.signerChain.length === 0)
    return fail('no signer certificate: the file needs the chain its x5u serves (stirhub trust-list import)')
  if (stiPaRoots.anchors.length === 0) return fail('no STI-PA root configured (STIRHUB_STI_PA_ROOTS)')
  const path = validatePath(file.signerChain, stiPaRoots)
  if (!path.ok) return fail(`the signer does not chain to an STI-PA root: ${path.detail}`)
  const ms = now.getTime()
  if (ms < path.chain.notBefore || ms > path.chain.notAfter)
    return fail("the signer's certificate path is not valid now")
  if (!verifyJwsSignature(file.jws, path.chain.key)) return fail("the signature does not verify with the signer's key")
  const payload = jsonPart(splitJws(file.jws)!.payload)
  if (!isObject(payload)) return fail('the payload is not a JSON object')
  const { trustList, exp, sequence, version } = payload
  if (!Array.isArray(trustList) || trustList.length === 0) return fail('trustList is missing or empty')
  if (exp !== undefined && !Number.isFinite(exp)) return fail('exp is not a number')
  if (typeof exp === 'number' && exp * 1000 <= ms)
    return fail(`the list expired at ${new Date(exp * 1000).toISOString()}`)
  if (sequence !== undefined && !Number.isSafeInteger(sequence)) return fail('sequence is not an integer')
  if (typeof sequence === 'number' && minSequence !== undefined && sequence < minSequence) {
    return fail(`sequence ${sequence} is older than the list in use (${minSequence})`)
  }
  const certs = trustList.map(entryCert)
  const roots = certs.filter((c): c is X509Certificate => c !== undefined && c.ca)
  if (roots.length === 0) return fail('trustList holds no CA certificate')
  return {
    ok: true,
    list: {
      roots,
      skipped: trustList.length - roots.length,
      sequence: sequence as number | undefined,
      version: typeof version === 'string' ? version : undefined,
      exp: exp as number | undefined,
      signer: path.chain.path[0]!.subject.replace(/\n/g, ', '),
    },
  }
}

/** The certificates of an x5u body: PEM, or one DER certificate (a `.crt` is often served as DER). */
function certsOfBody(body: Buffer): X509Certificate[] {
  const pem = certsFromPem(body.toString('latin1'))
  if (pem.length) return pem
  try {
    return [new X509Certificate(body)]
  } catch {
    return []
  }
}

/**
 * A trust-list file ready for the server: the JWS on its first line, then the signer's chain.
 * `fetchChain` gets the chain from the header's x5u when the file has none (the CLI passes
 * the guarded x5u fetcher).
 */
export async function completeTrustList(text: string, fetchChain: (url: string) => Promise<Buffer>): Promise<string> {
  const file = parseTrustListFile(text)
  if (typeof file === 'string') throw new RangeError(file)
  let chain = file.signerChain
  if (chain.length === 0) {
    if (typeof file.header.x5u !== 'string')
      throw new RangeError('the list carries no signer certificate and no x5u to fetch it from')
    chain = certsOfBody(await fetchChain(file.header.x5u))
    if (chain.length === 0) throw new RangeError(`${file.header.x5u} served no certificate`)
  }
  return `${file.jws}\n${chain.map((c) => derToPem(c.raw)).join('')}`
}

/** Reads and checks a trust-list file against the STI-PA roots' PEM file; throws what is wrong. */
export function loadTrustList(listPath: string, stiPaRootsPath: string, now: Date, minSequence?: number): TrustList {
  const size = fs.statSync(listPath).size
  if (size > TRUST_LIST_MAX_BYTES) throw new Error(`trust list ${listPath}: larger than ${TRUST_LIST_MAX_BYTES} bytes`)
  const roots = trustStoreOf(certsFromPem(fs.readFileSync(stiPaRootsPath, 'utf8')))
  const r = verifyTrustList(fs.readFileSync(listPath, 'utf8'), roots, now, minSequence)
  if (!r.ok) throw new Error(`trust list ${listPath}: ${r.problem}`)
  return r.list
}

/**
 * Checks a CA list (as the STI-PA serves it; the signer fetched with `fetchChain` when absent)
 * and writes it to `out`, atomically, unless it is older than the list already there. Returns
 * the list written; throws what is wrong and leaves `out` as it was.
 */
export async function installTrustList(
  text: string,
  out: string,
  stiPaRootsPath: string,
  now: Date,
  fetchChain: (url: string) => Promise<Buffer>,
): Promise<TrustList> {
  const complete = await completeTrustList(text, fetchChain)
  let inUse: number | undefined
  try {
    inUse = loadTrustList(out, stiPaRootsPath, now).sequence
  } catch {
    /* none yet, or not valid: any good list replaces it */
  }
  const tmp = path.join(path.dirname(path.resolve(out)), `.${path.basename(out)}.${process.pid}.tmp`)
  fs.writeFileSync(tmp, complete)
  try {
    const list = loadTrustList(tmp, stiPaRootsPath, now, inUse)
    // Renamed in: a process reading the file never sees half a list.
    fs.renameSync(tmp, out)
    return list
  } finally {
    fs.rmSync(tmp, { force: true })
  }
}
