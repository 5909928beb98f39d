/**
 * How a call's diversion chain (div-chain.ts) is shown: in the REST verificationResponse, in a
 * header of the SIP verify front's 302, and in the call record's reasons. Pure: each front
 * renders the same links its own way, so a broken link is visible wherever the verdict is.
 */
import type { DivLink } from './div-chain.js'

/** The SIP verify front's header that carries the chain on the 302 (docs/branding.md). */
export const DIV_HEADER = 'x-stir-diversion'

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s)

/** `verificationResponse.diversion`: one object per presented div, the chain's hops first. */
export function diversionJson(links: readonly DivLink[]) {
  return links.map((l) => ({
    from: l.from,
    to: [...l.to],
    spc: l.spc ?? null,
    status: l.status,
    ...(l.detail === undefined ? {} : { detail: clip(l.detail, 200) }),
  }))
}

/**
 * The SIP header value: `<from>;to=<to>;status=<status>[;spc=<spc>]` per div, comma-separated
 * (from `-` when unreadable). Only digits, letters and `_` reach it: nothing a peer sent can
 * break the header.
 */
export function diversionHeader(links: readonly DivLink[]): string {
  const token = (s: string) => s.replace(/[^0-9A-Za-z_]/g, '').slice(0, 32)
  return links
    .map((l) => {
      const to = l.to.map(token).join('+') || '-'
      return `${l.from ? token(l.from) : '-'};to=${to};status=${l.status}${l.spc ? `;spc=${token(l.spc)}` : ''}`
    })
    .join(', ')
}

/** The call record's reasons for the chain: one line per div. */
export function diversionReasons(links: readonly DivLink[]): string[] {
  return links.map(
    (l) =>
      `div ${l.from ?? '?'} → ${l.to.join(',') || '?'}: ${l.status}${l.spc ? ` (SPC ${l.spc})` : ''}${l.detail ? ` — ${clip(l.detail, 160)}` : ''}`,
  )
}
