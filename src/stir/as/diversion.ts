/**
 * What a call already carries when it reaches the STI-AS (RFC 8946; ATIS-1000085 for SHAKEN).
 * A call with a SHAKEN PASSporT was signed by its originating provider and is not signed
 * again. When that call came to a number we hold and is now being retargeted elsewhere (call
 * forwarding), the AS may add a `ppt=div` PASSporT for the hop: from our number to the new
 * target. Pure: the claims are read, not verified. The terminating VS verifies the whole
 * chain, and our signature asserts only the hop from a number we hold.
 */
import { parseIdentity, splitIdentityInstances } from '../vs/identity-header.js'
import { decodeClaims, decodeDivClaims, splitReceived } from '../vs/passport-decode.js'

/** The most `ppt=div` headers followed (the French rules allow up to five hops). */
const MAX_DIVS = 8

export type Carried =
  /** No Identity at all: the AS signs as the originating provider. */
  | { readonly kind: 'none' }
  /** Identity present but no readable SHAKEN PASSporT: not signed again, nothing added. */
  | { readonly kind: 'unreadable' }
  /** The call still goes where its PASSporT (or its last div) says: nothing to add. */
  | { readonly kind: 'same-target' }
  /** Retargeted: `div` (the last target the call was signed for) forwarded it; `orig` from the PASSporT. */
  | { readonly kind: 'retargeted'; readonly orig: string; readonly div: string }

/**
 * Reads a call's Identity header text (several instances allowed) against `dest`, the
 * canonical number the call now goes to. `maxTnLength` as the signing service's TN options.
 */
export function carriedIdentity(identity: string | undefined, dest: string, maxTnLength = 15): Carried {
  const instances = identity?.trim() ? splitIdentityInstances(identity) : []
  if (instances.length === 0) return { kind: 'none' }
  let shaken: { orig: string; dest: readonly string[] } | undefined
  const divs: { div: string; dest: readonly string[] }[] = []
  for (const raw of instances) {
    const p = parseIdentity(raw)
    if (!p.ok) continue
    const jws = splitReceived(p.value.jws, p.value.base64url)
    if (!jws.ok) continue
    if (p.value.ppt === 'div') {
      const c = decodeDivClaims(jws.value.payload, maxTnLength)
      if (c.ok && divs.length < MAX_DIVS) divs.push(c.value)
    } else if (shaken === undefined && (p.value.ppt === undefined || p.value.ppt === 'shaken')) {
      const c = decodeClaims(jws.value.payload, maxTnLength)
      if (c.ok) shaken = c.value
    }
  }
  if (!shaken) return { kind: 'unreadable' }
  // Follow the hops already signed: each div starts at a number the call had reached.
  let reach = shaken.dest
  for (let hop = divs.find((d) => reach.includes(d.div)); hop; hop = divs.find((d) => reach.includes(d.div))) {
    divs.splice(divs.indexOf(hop), 1)
    reach = hop.dest
  }
  return reach.includes(dest) ? { kind: 'same-target' } : { kind: 'retargeted', orig: shaken.orig, div: reach[0]! }
}
