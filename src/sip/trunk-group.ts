/**
 * The RFC 4904 trunk groups an INVITE names: `tgrp` (with its `trunk-context`) is a parameter
 * of a tel URI, or of the user part of a SIP URI (`sip:+12125550100;tgrp=TG-1;trunk-context=
 * example.com@sbc.example.com;user=phone`). The originating trunk group rides in the Contact,
 * the destination trunk group in the Request-URI (RFC 4904 §4.3); an SBC in front of the
 * signing front may put the trunk a call came in on in either, so both are read.
 */
import type { SipMessage } from './transport.js'
import { parseSipUri } from './transport.js'

/** The decoded `tgrp` label of a tel or SIP URI, if it carries one. */
function tgrpOf(uri: string | undefined): string | undefined {
  if (!uri) return undefined
  const inner = /<([^>]*)>/.exec(uri)?.[1] ?? uri.trim()
  const user = /^tel:/i.test(inner) ? inner.slice(4) : parseSipUri(inner)?.user
  if (!user) return undefined
  for (const p of user.split(';').slice(1)) {
    const eq = p.indexOf('=')
    // Parameter names are case-insensitive (RFC 3966 §3); the label is %-escaped text (RFC 4904 §5).
    if (eq > 0 && p.slice(0, eq).toLowerCase() === 'tgrp') {
      try {
        return decodeURIComponent(p.slice(eq + 1))
      } catch {
        return undefined
      }
    }
  }
  return undefined
}

/** The first Contact's URI (the `sip` parser gives a list of `{uri}`). */
function contactUri(h: unknown): string | undefined {
  const first = Array.isArray(h) ? h[0] : h
  if (typeof first === 'string') return first
  return typeof first === 'object' && first !== null && typeof (first as { uri?: unknown }).uri === 'string'
    ? (first as { uri: string }).uri
    : undefined
}

/** The trunk groups the INVITE names: its Contact's, then its Request-URI's (each at most once). */
export function trunkGroupsOf(rq: SipMessage): string[] {
  const out: string[] = []
  for (const g of [tgrpOf(contactUri(rq.headers.contact)), tgrpOf(rq.uri)])
    if (g !== undefined && g !== '' && !out.includes(g)) out.push(g)
  return out
}
