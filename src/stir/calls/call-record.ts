/**
 * A call as recorded: what the signing or verification path hands the recorder (references to
 * what it already built, so recording costs the hot path one small object), and the row it
 * becomes off that path. Pure: no I/O, no clock.
 */
import { createHash } from 'node:crypto'
import { parseTn } from '../../domain/e164.js'
import type { AttestLevel, Decision } from '../../domain/attestation.js'
import type { VerifyInput, Verdict } from '../vs/verifier.js'
import type { CallRecordRow } from '../../store/call-records.repo.js'
import { diversionReasons } from '../vs/div-report.js'

/** The front a call came through. */
type Transport = 'rest' | 'sip' | 'cli'

/** How a call reached us: the front and the caller's request id (X-RequestID, SIP Call-ID). */
export interface CallVia {
  readonly transport: Transport
  readonly requestId?: string
}

/** A SHAKEN call decided (signed, or not signed and why). */
interface SignedCall {
  readonly kind: 'signed'
  /** Epoch ms of the decision. */
  readonly at: number
  readonly accountSid: string
  /** The signing service's result (as-is: recording copies nothing on the hot path). */
  readonly result: {
    readonly orig: string
    readonly dest: readonly string[]
    readonly decision: Decision
    readonly attest?: AttestLevel
    readonly identity?: string
    /** The Rich Call Data signed (RFC 9795), when the call is branded. */
    readonly rcd?: SignedRcd
    readonly notes: readonly string[]
  }
  readonly via?: CallVia
}

/** A branded call's signed RCD: the display name, the logo (signed only with its pinned digest), the call reason. */
interface SignedRcd {
  readonly nam: string
  readonly icn?: string
  readonly crn?: string
}

/**
 * The reason line a branded call's record carries: what its PASSporT said about the caller.
 * JSON.stringify quotes the texts as the record's JSON does (a name may hold quotes).
 */
function brandedReason(rcd: SignedRcd): string {
  const crn = rcd.crn !== undefined ? `, call reason ${JSON.stringify(rcd.crn)}` : ', no call reason'
  const logo = rcd.icn !== undefined ? `, logo ${rcd.icn} (its pinned digest in rcdi)` : ', no logo'
  return `branded as ${JSON.stringify(rcd.nam)}: signed rcd${crn}${logo}`
}

/** A signed call's reasons: the decision's, then the signer's notes, then the branding signed (spread only when there is more than the decision's). */
function signedReasons(d: Decision, notes: readonly string[], rcd: SignedRcd | undefined): readonly string[] {
  if (rcd !== undefined) return [...d.reasons, ...notes, brandedReason(rcd)]
  return notes.length ? [...d.reasons, ...notes] : d.reasons
}

/** A div PASSporT signed for a forwarded call (RFC 8946). */
interface DivertedCall {
  readonly kind: 'diverted'
  readonly at: number
  readonly accountSid: string
  readonly orig: string
  readonly dest: string
  readonly div: string
  readonly identity: string
  readonly via?: CallVia
}

/** A call verified; `accountSid` is the account it was verified for, when the caller named one. */
interface VerifiedCall {
  readonly kind: 'verified'
  readonly at: number
  readonly accountSid?: string
  readonly input: VerifyInput
  readonly verdict: Verdict
  readonly via?: CallVia
}

export type CallEvent = SignedCall | DivertedCall | VerifiedCall

/**
 * The SHA-256 (hex) a record keeps of an Identity header: of its PASSporT (the compact JWS
 * before the first `;`), so the same call is found whatever the header's parameters or spacing.
 */
export function identityHash(identity: string): string {
  const semi = identity.indexOf(';')
  const jws = (semi < 0 ? identity : identity.slice(0, semi)).trim().replace(/^<|>$/g, '')
  return createHash('sha256').update(jws).digest('hex')
}

/** The host of an x5u URL, or null when it is not one. */
function hostOf(url: string | undefined): string | null {
  if (!url) return null
  try {
    return new URL(url).host.slice(0, 255)
  } catch {
    return null
  }
}

const clip = (s: string | undefined, n: number) => (s === undefined ? null : s.slice(0, n))

/**
 * A verified call's number as searches match it: the canonical TN when it is one (a REST
 * caller may spell it `+1 212…`, SIP hands the canonical form), else the text as received.
 */
const canonical = (raw: string | undefined): string | null => {
  if (raw === undefined) return null
  const r = parseTn(raw)
  return r.ok ? r.tn : raw.slice(0, 32)
}

/** What the recorder resolves off the hot path: the record's SID and the account it belongs to. */
export interface RowContext {
  readonly sid: string
  /** The account the record belongs to ('' for a verification no account owns). */
  readonly accountSid: string
  readonly parentSid: string | null
}

/**
 * The row a call event becomes. Each row is one object literal of the same shape (no spreads:
 * they cost more than the rest of the row together, at every recorded call).
 */
export function rowOf(e: CallEvent, c: RowContext): CallRecordRow {
  const date_created = new Date(e.at).toISOString()
  const transport = e.via?.transport ?? 'rest'
  const request_id = clip(e.via?.requestId, 128)
  switch (e.kind) {
    case 'signed': {
      const r = e.result
      const d = r.decision
      return {
        sid: c.sid,
        date_created,
        kind: 'signed',
        ppt: 'shaken',
        account_sid: c.accountSid,
        parent_sid: c.parentSid,
        orig: r.orig,
        dest: r.dest[0]!,
        dests: JSON.stringify(r.dest),
        attest: r.attest ?? null,
        origid: d.origid,
        transport,
        request_id,
        identity_hash: r.identity ? identityHash(r.identity) : null,
        rule: d.rule,
        reasons: JSON.stringify(signedReasons(d, r.notes, r.rcd)),
        profile_sid: d.profileSid ?? null,
        trust_product_sid: d.trustProductSid ?? null,
        origin: d.origin ?? null,
        spc: null,
        cert_issuer: null,
        cert_serial: null,
        x5u_host: null,
        verstat: null,
        reason: null,
      }
    }
    case 'diverted':
      return {
        sid: c.sid,
        date_created,
        kind: 'signed',
        ppt: 'div',
        account_sid: c.accountSid,
        parent_sid: c.parentSid,
        orig: e.orig,
        dest: e.dest,
        dests: JSON.stringify([e.dest]),
        attest: null,
        origid: null,
        transport,
        request_id,
        identity_hash: identityHash(e.identity),
        rule: 'diversion',
        reasons: JSON.stringify([`call forwarded by ${e.div} to ${e.dest}`]),
        profile_sid: null,
        trust_product_sid: null,
        origin: null,
        spc: null,
        cert_issuer: null,
        cert_serial: null,
        x5u_host: null,
        verstat: null,
        reason: null,
      }
    case 'verified': {
      const v = e.verdict
      const to = e.input.to
      return {
        sid: c.sid,
        date_created,
        kind: 'verified',
        ppt: 'shaken',
        account_sid: c.accountSid,
        parent_sid: c.parentSid,
        orig: canonical(e.input.from) ?? '',
        dest: canonical(to[0]) ?? '',
        // The SIP front reads the Request-URI and To: one number named twice is one called number.
        dests: JSON.stringify([...new Set(to.slice(0, 16).map(canonical))]),
        attest: v.attest === 'A' || v.attest === 'B' || v.attest === 'C' ? v.attest : null,
        origid: typeof v.origid === 'string' ? v.origid.slice(0, 36) : null,
        transport,
        request_id,
        identity_hash: e.input.identity[0] !== undefined ? identityHash(e.input.identity[0]) : null,
        rule: null,
        // RFC 8946: the diversion chain (every div presented and its outcome) travels with the record.
        reasons: JSON.stringify([
          ...(v.detail ? [v.detail] : []),
          ...(v.diversion ? diversionReasons(v.diversion) : []),
        ]),
        profile_sid: null,
        trust_product_sid: null,
        origin: null,
        spc: clip(v.spc, 40),
        cert_issuer: v.cert?.issuer ?? null,
        cert_serial: clip(v.cert?.serial, 64),
        x5u_host: hostOf(v.x5u),
        verstat: v.verstat,
        reason: v.reason,
      }
    }
  }
}
