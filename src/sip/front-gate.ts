import { sipResponse, type SipMessage, type SipRemote } from './transport.js'

const ALLOW = 'INVITE, ACK, CANCEL, OPTIONS'

/**
 * What every redirect front answers before looking at an INVITE: ACKs of our final responses
 * are absorbed, untrusted sources get 403, OPTIONS (health probes) 200, CANCEL 481 (a redirect
 * answers at once, so there is nothing left to cancel: RFC 3261 §9.2), other methods 405.
 * Returns `'invite'` when the front must handle the request itself.
 */
export function gateRequest(
  rq: SipMessage,
  remote: SipRemote,
  trusted: (address: string) => boolean,
): SipMessage | undefined | 'invite' {
  if (rq.method === 'ACK') return undefined
  if (!trusted(remote.address)) return sipResponse(rq, 403, 'Forbidden')
  if (rq.method === 'OPTIONS') return sipResponse(rq, 200, 'OK', { allow: ALLOW })
  if (rq.method === 'CANCEL') return sipResponse(rq, 481, 'Call/Transaction Does Not Exist')
  if (rq.method !== 'INVITE') return sipResponse(rq, 405, 'Method Not Allowed', { allow: ALLOW })
  return 'invite'
}

/** The Identity header text (`y` is its compact form), several instances possibly joined. */
export function identityText(rq: SipMessage): string | undefined {
  const raw = rq.headers.identity ?? rq.headers.y
  return typeof raw === 'string' ? raw : undefined
}
