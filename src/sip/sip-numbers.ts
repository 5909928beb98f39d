/**
 * The numbers a SIP request names, decided as everywhere else (domain/e164.ts `parseTn`), and
 * the answer the redirect fronts give when one of them is not a valid number.
 */
import { isTnSpelling, parseTn, type TnResult } from '../domain/e164.js'
import { parseSipUri, sipResponse, type SipMessage } from './transport.js'

/**
 * The telephone number in a SIP or tel URI's user part (`;npdi`/`;rn=` parameters dropped), as
 * `parseTn` decides it (possibly not valid); undefined when the user part is not written as a
 * number (`anonymous`, `alice`): such calls are not judged, and go on unsigned.
 */
export function tnOfUri(uri: string | undefined): TnResult | undefined {
  if (!uri) return undefined
  const inner = /<([^>]*)>/.exec(uri)?.[1] ?? uri.trim()
  const user = /^tel:/i.test(inner) ? inner.slice(4) : parseSipUri(inner)?.user
  const tn = user?.split(';')[0]
  return tn !== undefined && isTnSpelling(tn) ? parseTn(tn) : undefined
}

/**
 * The answer to an INVITE whose calling or called number is written as a number but is valid
 * in no numbering plan: 400, its reason phrase naming the header (RFC 3261 §21.4.1), as for
 * other malformed INVITEs. Not a 302 without Identity, which reads as a call stirhub chose not
 * to sign (a non-US destination); not 484 (§21.4.22: an incomplete Request-URI, an invitation
 * to send more digits, which a too-long number or a bad From is not); not 404 (§21.4.4: a
 * routing verdict that the user does not exist, which is not this server's to give).
 */
export function invalidNumber(rq: SipMessage, where: string): SipMessage {
  return sipResponse(rq, 400, `Bad Request (${where} is not a valid telephone number)`)
}
