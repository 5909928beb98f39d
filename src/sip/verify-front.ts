/**
 * The STI-VS SIP redirect front (DESIGN §6; stir-shaken.md §8 "SIP redirect server"): an SBC
 * sends the INVITE it received, stirhub verifies its Identity header(s) and answers
 * `302 Moved Temporarily` with `Contact` = the Request-URI and `verstat` (3GPP TS 24.229
 * §7.2A.20) added to the P-Asserted-Identity (or From) user part. On failure the account's
 * action applies: continue with verstat, continue with `Reason: STIR` (RFC 9410 §4), or reject
 * with the RFC 8224 code. 428 when policy requires Identity and there is none (RFC 8224 §6.2.2).
 * From/To are decided as signing decides them (domain/e164.ts `parseTn`); a caller, or called
 * numbers, written as numbers but valid in no numbering plan get 400, as the ATIS route's E2.
 * A forwarded call's div PASSporTs (RFC 8946) are checked against the numbers History-Info and
 * Diversion name, and the 302 reports them in `X-Stir-Diversion` (docs/branding.md).
 */
import type { Logger } from 'pino'
import { isSid } from '../domain/ids.js'
import type { Verifier, Verdict } from '../stir/vs/verifier.js'
import { splitIdentityInstances } from '../stir/vs/identity-header.js'
import { DIV_HEADER, diversionHeader } from '../stir/vs/div-report.js'
import type { Reason, Verstat } from '../stir/vs/reasons.js'
import type { VerifyPolicy } from '../stir/vs/verify-policy.js'
import { invalidNumber, tnOfUri } from './sip-numbers.js'
import { gateRequest, identityText } from './front-gate.js'
import { trustedSources } from './trusted-sources.js'
import { sipResponse, startSipFront, type SipFront, type SipMessage, type SipRemote } from './transport.js'
import type { StiVs } from '../stir/vs/sti-vs.js'

export interface VerifyFrontOptions {
  readonly port: number
  /** Listen address (`HOST`). */
  readonly host: string
  /** CIDRs of trusted SBCs; others get 403. */
  readonly trusted: readonly string[]
  readonly verifier: Verifier
  /** The policy of the account named by `X-Account-Sid` (or the default for none). */
  readonly policyOf: (accountSid: string | undefined) => Promise<VerifyPolicy>
  /** Counts an outcome for the account ('' for none named): a call that carried no Identity. */
  readonly count?: (accountSid: string, reason: Reason, spc: string | undefined) => void
  /** Takes note of a verification: counted and recorded (StiVs.observe). */
  readonly observe?: StiVs['observe']
  readonly log?: Logger
  /** Called with each response's status and the milliseconds since its request was parsed (metrics). */
  readonly responded?: (status: number, ms: number) => void
}

/**
 * Adds `;verstat=` to the user part of a name-addr or addr-spec (`"Bob" <sip:+1215…@host>`,
 * `<tel:+1215…>`), replacing one already there; undefined when the URI has no user part.
 */
export function withVerstat(addr: string, verstat: Verstat): string | undefined {
  const m = /^(.*?)<([^>]*)>(.*)$/.exec(addr.trim())
  const [pre, uri, post] = m ? [m[1]!, m[2]!, m[3]!] : ['', addr.trim().split(';tag=')[0]!, '']
  const add = (user: string) => user.replace(/;verstat=[^;@]*/gi, '') + `;verstat=${verstat}`
  let out: string
  if (/^tel:/i.test(uri)) {
    const [num, ...params] = uri.slice(4).split(';')
    out = `tel:${add([num, ...params.filter((p) => !/^verstat=/i.test(p))].join(';'))}`
  } else {
    const s = /^(sips?:)([^@]+)@(.*)$/i.exec(uri)
    if (!s) return undefined
    out = `${s[1]}${add(s[2]!)}@${s[3]}`
  }
  return `${pre}<${out}>${m ? post : ''}`
}

const headerText = (h: unknown): string | undefined =>
  typeof h === 'string'
    ? h
    : typeof h === 'object' && h !== null && typeof (h as { uri?: unknown }).uri === 'string'
      ? `${(h as { name?: string }).name ? `"${(h as { name: string }).name}" ` : ''}<${(h as { uri: string }).uri}>`
      : undefined

/** The identity the callee sees: first P-Asserted-Identity, else From. */
function callerAddr(rq: SipMessage): { header: 'p-asserted-identity' | 'from'; addr: string } | undefined {
  const pai = rq.headers['p-asserted-identity']
  if (typeof pai === 'string' && pai.trim())
    return { header: 'p-asserted-identity', addr: pai.split(/,(?=\s*(?:"[^"]*"\s*)?<)/)[0]! }
  const from = headerText(rq.headers.from)
  return from ? { header: 'from', addr: from } : undefined
}

/**
 * Puts `name` as the display name of a name-addr (`<sip:…>` or `"Old" <sip:…>` →
 * `"name" <sip:…>`), as a quoted-string (RFC 3261 §25.1: `"` and `\` escaped; rcd-check.ts
 * admitted no control characters).
 */
function withDisplayName(addr: string, name: string): string {
  const at = addr.indexOf('<')
  return at < 0 ? addr : `"${name.replace(/["\\]/g, (c) => '\\' + c)}" ${addr.slice(at)}`
}

/**
 * The 302 carrying verstat (and `Reason: STIR` when asked, and the diversion chain when the
 * call had divs). A passed call with verified Rich
 * Call Data (RFC 9795) also carries its name as the P-Asserted-Identity display name and its
 * logo as `Call-Info: <icn>;purpose=icon` (RFC 9796).
 */
function redirect(rq: SipMessage, verstat: Verstat, reason?: Verdict, v?: Verdict): SipMessage {
  const rcd = v?.rcd
  const headers: Record<string, unknown> = { contact: [{ uri: rq.uri }] }
  if (v?.diversion?.length) headers[DIV_HEADER] = diversionHeader(v.diversion)
  const caller = callerAddr(rq)
  const marked = caller ? withVerstat(caller.addr, verstat) : undefined
  if (marked) headers['p-asserted-identity'] = rcd?.nam !== undefined ? withDisplayName(marked, rcd.nam) : marked
  if (rcd?.icn !== undefined) headers['call-info'] = `<${new URL(rcd.icn).href}>;purpose=icon`
  // RFC 9410 §4: the failure travels with the call as a Reason header with protocol STIR.
  if (reason) headers.reason = `STIR ;cause=${reason.sipCode} ;text="${reason.sipText}"`
  return sipResponse(rq, 302, 'Moved Temporarily', headers)
}

/**
 * The numbers the call was retargeted from, for the div PASSporTs' `div.tn` (RFC 8946): every
 * telephone number in History-Info (RFC 7044) and Diversion (RFC 5806) entries.
 */
function redirectsOf(rq: SipMessage): string[] {
  const out: string[] = []
  for (const name of ['history-info', 'diversion']) {
    const raw = rq.headers[name]
    const text = Array.isArray(raw) ? raw.join(',') : raw
    if (typeof text !== 'string') continue
    // Entries are comma-separated name-addrs; a comma inside <…> belongs to the URI.
    for (const entry of text.split(/,(?![^<]*>)/).slice(0, 32)) {
      const t = tnOfUri(entry)
      if (t?.ok && !out.includes(t.tn)) out.push(t.tn)
    }
  }
  return out
}

function identitiesOf(rq: SipMessage): string[] {
  const raw = identityText(rq)
  return raw?.trim() ? splitIdentityInstances(raw) : []
}

/** Answers an INVITE: verify, then 302 / 428 / reject per policy. */
async function verifyInvite(o: Omit<VerifyFrontOptions, 'port' | 'host'>, rq: SipMessage): Promise<SipMessage> {
  const named = rq.headers['x-account-sid']
  if (named !== undefined && !isSid(named, 'AC')) return sipResponse(rq, 400, 'Bad Request (bad X-Account-Sid)')
  const policy = await o.policyOf(named)
  const identity = identitiesOf(rq)
  if (identity.length === 0) {
    o.count?.(named ?? '', 'identity_missing', undefined)
    return policy.requireIdentity ? sipResponse(rq, 428, 'Use Identity Header') : redirect(rq, 'No-TN-Validation')
  }
  const caller = callerAddr(rq)
  const from = caller && tnOfUri(caller.addr)
  if (from?.ok === false) return invalidNumber(rq, caller!.header === 'from' ? 'From' : 'P-Asserted-Identity')
  // Both may name the call (the Request-URI changes when it is retargeted): the valid ones count.
  const called = [tnOfUri(rq.uri), tnOfUri(headerText(rq.headers.to))]
  const to: string[] = []
  for (const t of called) if (t?.ok) to.push(t.tn)
  if (to.length === 0 && called.some((t) => t?.ok === false)) return invalidNumber(rq, 'the called number')
  const redirects = redirectsOf(rq)
  const input = { identity, from: from?.tn ?? '', to, ...(redirects.length ? { redirects } : {}) }
  const v = await o.verifier.verify(input)
  o.observe?.(named, input, v, { transport: 'sip', requestId: rq.headers['call-id'] })
  o.log?.debug({ callId: rq.headers['call-id'], reason: v.reason, detail: v.detail }, 'sip verify')
  if (v.reason === 'passed' || policy.failureAction === 'continue') return redirect(rq, v.verstat, undefined, v)
  if (policy.failureAction === 'reason') return redirect(rq, v.verstat, v, v)
  return sipResponse(rq, v.sipCode, v.sipText)
}

/** The request handler (exported for tests without sockets). */
export function verifyHandler(o: Omit<VerifyFrontOptions, 'port' | 'host'>) {
  const trusted = trustedSources(o.trusted)
  return async (rq: SipMessage, remote: SipRemote): Promise<SipMessage | undefined> => {
    const gate = gateRequest(rq, remote, trusted)
    if (gate !== 'invite') return gate
    if (!rq.uri || !headerText(rq.headers.from) || !headerText(rq.headers.to))
      return sipResponse(rq, 400, 'Bad Request')
    return verifyInvite(o, rq)
  }
}

/** Starts the verification front on UDP and TCP (`SIP_VERIFY_PORT`, default 5070). */
export function startVerifyFront(o: VerifyFrontOptions): Promise<SipFront> {
  return startSipFront({ port: o.port, host: o.host, log: o.log, responded: o.responded, handler: verifyHandler(o) })
}
