/**
 * The TNAuthList certificate extension (RFC 8226 §9, OID 1.3.6.1.5.5.7.1.26): which
 * telephone numbers or Service Provider Code a STIR certificate speaks for. The ASN.1 module
 * uses EXPLICIT tags, so an SPC entry is `A0 len 16 len <ascii>` (ATIS-1000080 §6.4.1;
 * verified against real certificates: SPC "318J" = 30 08 A0 06 16 04 33 31 38 4A).
 */
import 'reflect-metadata'
import { AsnConvert } from '@peculiar/asn1-schema'
import { TNAuthorizationList, TNEntry, TelephoneNumberRange, id_pe_TNAuthList } from '@peculiar/asn1-rfc8226'

/** The extension's OID. */
export const TN_AUTH_LIST_OID: string = id_pe_TNAuthList

/** One entry of a TNAuthList: a Service Provider Code, a number range or one number. */
export type TnAuthEntry =
  | { readonly type: 'spc'; readonly spc: string }
  | { readonly type: 'range'; readonly start: string; readonly count: number }
  | { readonly type: 'one'; readonly tn: string }

/** DER of a TNAuthList (the extension's extnValue contents). */
export function encodeTnAuthList(entries: readonly TnAuthEntry[]): Uint8Array {
  if (entries.length === 0) throw new RangeError('a TNAuthList needs at least one entry (RFC 8226: SIZE (1..MAX))')
  const list = new TNAuthorizationList(entries.map(toAsn))
  return new Uint8Array(AsnConvert.serialize(list))
}

/** DER of the single-SPC TNAuthList that ATIS-1000080 certificates carry. */
export function spcTnAuthList(spc: string): Uint8Array {
  return encodeTnAuthList([{ type: 'spc', spc }])
}

/**
 * Decodes a TNAuthList. Throws a RangeError on anything that is not one (a bare string, as
 * libstirshaken's test certificates carry, trailing bytes, an unknown tag). An empty list
 * decodes to `[]` so the profile check can name that defect itself.
 */
export function decodeTnAuthList(der: Uint8Array | ArrayBuffer): TnAuthEntry[] {
  const bytes = der instanceof Uint8Array ? der : new Uint8Array(der)
  // asn1-schema accepts some non-SEQUENCE inputs leniently; the outer tag must be SEQUENCE.
  if (bytes[0] !== 0x30) throw new RangeError('TNAuthList is not a SEQUENCE')
  let list: TNAuthorizationList
  try {
    list = AsnConvert.parse(bytes, TNAuthorizationList)
  } catch (e) {
    throw new RangeError(`TNAuthList does not decode: ${(e as Error).message}`)
  }
  return Array.from(list, fromAsn)
}

/** The SPCs of a decoded list, in order. */
export function spcsOf(entries: readonly TnAuthEntry[]): string[] {
  return entries.flatMap((e) => (e.type === 'spc' ? [e.spc] : []))
}

function toAsn(e: TnAuthEntry): TNEntry {
  switch (e.type) {
    case 'spc':
      return new TNEntry({ spc: e.spc })
    case 'one':
      return new TNEntry({ one: e.tn })
    case 'range': {
      const r = new TelephoneNumberRange()
      r.start = e.start
      r.count = e.count
      return new TNEntry({ range: r })
    }
  }
}

function fromAsn(e: TNEntry): TnAuthEntry {
  if (e.spc !== undefined) return { type: 'spc', spc: e.spc }
  if (e.one !== undefined) return { type: 'one', tn: e.one }
  if (e.range !== undefined) return { type: 'range', start: e.range.start, count: Number(e.range.count) }
  throw new RangeError('TNAuthList entry is none of spc [0], range [1], one [2]')
}
