/**
 * The STI-AS SIP redirect front (DESIGN §5; stir-shaken.md §8 "SIP redirect server"): a
 * trusted SBC sends the INVITE, stirhub answers `302 Moved Temporarily` with `Contact` = the
 * Request-URI and the `Identity` header (RFC 8224 §4), or a 302 without Identity for calls it
 * does not sign. `orig` comes from P-Asserted-Identity (else From), `dest` from the
 * Request-URI (else To) (ATIS-1000074 §5.3.1). The account is the SIP trunk's the INVITE
 * arrives on (trunk-directory.ts: its source address, then its RFC 4904 `tgrp`), never the
 * owner of the calling number: anyone can put a vetted customer's number in From. Only a
 * multi-tenant SBC (`STIRHUB_SIP_MULTI_TENANT`) may name the account with `X-Account-Sid`; from
 * any other source the header is ignored, since a customer could have set it. No trunk (and no
 * honoured header), no account: 403. Untrusted sources get 403, malformed INVITEs 400, OPTIONS
 * 200; a call of a suspended or closed account (or of a sub-account of one) 403 with the reason.
 * Numbers are decided as everywhere else (domain/e164.ts `parseTn`: `2125550100` is +1); a
 * calling or called number written as a number but valid in no numbering plan gets 400.
 * A call that already carries a SHAKEN PASSporT is not signed again; when it is being
 * retargeted from one of our numbers, the 302 carries a `ppt=div` Identity for the hop
 * (RFC 8946, stir/as/diversion.ts), which the SBC adds beside the call's own.
 * A branded call (RFC 9795, docs/branding.md) carries its Rich Call Data in the PASSporT; the SBC
 * names the call reason with `X-Call-Reason`, signed as `crn` only when approved for the caller.
 */
import type { Logger } from 'pino'
import type { RateLimiter } from '../security/rate-limiter.js'
import { AppError } from '../domain/errors.js'
import { isSid } from '../domain/ids.js'
import { MAX_CRN, textProblem } from '../domain/rich-call-data.js'
import type { SigningService } from '../stir/as/signing-service.js'
import { carriedIdentity } from '../stir/as/diversion.js'
import { gateRequest, identityText } from './front-gate.js'
import { invalidNumber, tnOfUri } from './sip-numbers.js'
import { trustedSources } from './trusted-sources.js'
import type { TrunkDirectory, TrunkMatch } from './trunk-directory.js'
import { trunkGroupsOf } from './trunk-group.js'
import { parseSipUri, sipResponse, startSipFront, type SipFront, type SipMessage, type SipRemote } from './transport.js'

export interface SignFrontOptions {
  readonly port: number
  /** Listen address (`HOST`). */
  readonly host: string
  /** CIDRs of trusted SBCs (`STIRHUB_SIP_TRUSTED`). */
  readonly trusted: readonly string[]
  /** CIDRs of multi-tenant SBCs (`STIRHUB_SIP_MULTI_TENANT`), whose `X-Account-Sid` names the account. */
  readonly multiTenant?: readonly string[]
  readonly service: SigningService
  /** The SIP trunks, whose account an INVITE is signed for. */
  readonly trunks: TrunkDirectory
  readonly log?: Logger
  /** Called with each response's status and the milliseconds since its request was parsed (metrics). */
  readonly responded?: (status: number, ms: number) => void
  /** Per-account call rate (`STIRHUB_STIR_RATE_LIMIT`): over it, 503 with Retry-After, and the SBC goes on unsigned. */
  readonly limit?: RateLimiter
}

/**
 * The answer for a call of a suspended or closed account: 403 (RFC 3261 §21.4.4, the server
 * understood and will not sign), its reason phrase saying why, so the SBC's logs show it; the
 * SIP front's response counter (`/metrics`) counts it by status.
 */
function inactive(rq: SipMessage, status: string): SipMessage {
  return sipResponse(rq, 403, `Forbidden (account ${status === 'closed' ? 'closed' : 'suspended'})`)
}

/**
 * The answer for an INVITE whose account cannot be told: 403 (RFC 3261 §21.4.4), its reason
 * phrase saying why, so the SBC's logs show it. Never signed for the owner of the caller ID.
 */
function noTrunk(rq: SipMessage, m: Exclude<TrunkMatch, { kind: 'trunk' }>): SipMessage {
  return sipResponse(
    rq,
    403,
    m.kind === 'none'
      ? 'Forbidden (no SIP trunk for this source)'
      : 'Forbidden (ambiguous SIP trunk for this source: tgrp must name one)',
  )
}

const headerUri = (h: unknown): string | undefined =>
  typeof h === 'string'
    ? h
    : typeof h === 'object' && h !== null && typeof (h as { uri?: unknown }).uri === 'string'
      ? (h as { uri: string }).uri
      : undefined

/** Why an INVITE cannot be handled (400), or undefined when it is well formed. */
function malformed(rq: SipMessage): string | undefined {
  if (!rq.uri || !parseSipUri(rq.uri)) return 'bad Request-URI'
  if (!headerUri(rq.headers.from) || !parseSipUri(headerUri(rq.headers.from)!.replace(/^<|>$/g, '')))
    return 'missing or bad From'
  if (!headerUri(rq.headers.to)) return 'missing or bad To'
  if (rq.headers.cseq.method !== rq.method) return 'CSeq method does not match'
  return undefined
}

/** The request handler (exported for tests without sockets). */
export function signHandler(o: Omit<SignFrontOptions, 'port' | 'host'>) {
  const trusted = trustedSources(o.trusted)
  const multiTenant = trustedSources(o.multiTenant ?? [])
  return async (rq: SipMessage, remote: SipRemote): Promise<SipMessage | undefined> => {
    const gate = gateRequest(rq, remote, trusted)
    if (gate !== 'invite') return gate
    const ticket = o.trunks.ticket()
    const via = { transport: 'sip', requestId: rq.headers['call-id'] } as const
    const bad = malformed(rq)
    if (bad) return sipResponse(rq, 400, `Bad Request (${bad})`)
    // Only a multi-tenant SBC names the account; elsewhere the header may be a customer's.
    const named = multiTenant(remote.address) ? rq.headers['x-account-sid'] : undefined
    if (named !== undefined && !isSid(named, 'AC')) return sipResponse(rq, 400, 'Bad Request (bad X-Account-Sid)')
    const crn = rq.headers['x-call-reason']
    if (crn !== undefined && textProblem(crn, MAX_CRN)) return sipResponse(rq, 400, 'Bad Request (bad X-Call-Reason)')
    let account = named
    if (account === undefined) {
      const trunk = await o.trunks.match(remote.address, () => trunkGroupsOf(rq), ticket)
      if (trunk.kind !== 'trunk') return noTrunk(rq, trunk)
      account = trunk.accountSid
    }
    const contact = [{ uri: rq.uri }]
    const pai = tnOfUri(
      typeof rq.headers['p-asserted-identity'] === 'string'
        ? rq.headers['p-asserted-identity'].split(',')[0]
        : undefined,
    )
    const caller = pai ?? tnOfUri(headerUri(rq.headers.from))
    const uriTn = tnOfUri(rq.uri)
    const called = uriTn ?? tnOfUri(headerUri(rq.headers.to))
    if (called?.ok === false) return invalidNumber(rq, uriTn ? 'Request-URI' : 'To')
    const dest = called?.tn
    try {
      const carried = dest ? carriedIdentity(identityText(rq), dest) : undefined
      if (carried?.kind === 'retargeted') {
        const r = await o.service.signDiversion({
          accountSid: account,
          orig: carried.orig,
          dest: dest!,
          div: carried.div,
          ticket,
          via,
        })
        return sipResponse(rq, 302, 'Moved Temporarily', r.identity ? { contact, identity: r.identity } : { contact })
      }
      // Signed by its originating provider already: not signed again (the SBC keeps its Identity).
      if (carried && carried.kind !== 'none') return sipResponse(rq, 302, 'Moved Temporarily', { contact })
      // The caller's number is judged only when it is to be signed for (a forwarded call's orig is its PASSporT's).
      if (caller?.ok === false) return invalidNumber(rq, pai ? 'P-Asserted-Identity' : 'From')
      const orig = caller?.tn
      if (!orig || !dest) return sipResponse(rq, 302, 'Moved Temporarily', { contact })
      // The SIP form of the REST 429 (RFC 3261 §21.5.4): this account is over its call rate.
      // The front's own limiter needs only elapsed time: a monotonic reading, unmoved by wall-clock steps.
      const wait = o.limit?.take(account, performance.now()) ?? 0
      if (wait > 0)
        return sipResponse(rq, 503, 'Service Unavailable', { 'retry-after': Math.max(1, Math.ceil(wait / 1000)) })
      const r = await o.service.sign({ accountSid: account, orig, dest: [dest], ticket, via, crn })
      return sipResponse(rq, 302, 'Moved Temporarily', r.identity ? { contact, identity: r.identity } : { contact })
    } catch (err) {
      if (err instanceof AppError && err.key === 'ACCOUNT_INACTIVE') return inactive(rq, String(err.details?.status))
      // Unknown account: answer like any unsigned call rather than reveal which SIDs exist.
      if (err instanceof AppError && err.status < 500) return sipResponse(rq, 302, 'Moved Temporarily', { contact })
      throw err
    }
  }
}

/** Starts the signing front on UDP and TCP. */
export function startSignFront(o: SignFrontOptions): Promise<SipFront> {
  return startSipFront({ port: o.port, host: o.host, log: o.log, responded: o.responded, handler: signHandler(o) })
}
