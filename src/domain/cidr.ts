/**
 * CIDR blocks (RFC 4632; RFC 4291 §2.3 for IPv6) as SIP trunks and the SIP settings name
 * their sources: parsed, checked and written in one canonical form (the network address, host
 * bits cleared, IPv6 compressed), so two spellings of one block compare equal.
 */
import net from 'node:net'

/** A parsed block: its family, canonical network address and prefix length. */
export interface Cidr {
  readonly family: 4 | 6
  readonly address: string
  readonly prefix: number
  /** The network address's bytes (4 or 16), host bits clear. */
  readonly bytes: Buffer
}

/** The block `raw` names (`192.0.2.0/24`, `2001:db8::/32`; a bare address is a host block), or why it is none. */
export function parseCidr(raw: string): Cidr | { readonly error: string } {
  const text = raw.trim()
  const slash = text.indexOf('/')
  const addr = slash < 0 ? text : text.slice(0, slash)
  const family = net.isIP(addr) as 0 | 4 | 6
  // A zone index (`fe80::1%eth0`) names an interface of one host, not a network.
  if (family === 0 || addr.includes('%'))
    return { error: `"${raw}" is not a CIDR (an IPv4 or IPv6 address, then /prefix)` }
  const max = family === 4 ? 32 : 128
  const p = slash < 0 ? String(max) : text.slice(slash + 1)
  if (!/^\d{1,3}$/.test(p) || Number(p) > max) return { error: `"${raw}": the prefix must be 0 to ${max}` }
  const prefix = Number(p)
  const bytes = networkOf(addressBytes(addr, family), prefix)
  return { family, address: family === 4 ? [...bytes].join('.') : canonicalIpv6(bytes), prefix, bytes }
}

/** The canonical text of a block (`address/prefix`). */
export const cidrText = (c: Cidr): string => `${c.address}/${c.prefix}`

/** `bytes` with the bits past `prefix` cleared (in place). */
function networkOf(bytes: Buffer, prefix: number): Buffer {
  for (let i = 0; i < bytes.length; i++) bytes[i]! &= (0xff << (8 - Math.max(0, Math.min(8, prefix - i * 8)))) & 0xff
  return bytes
}

/** The bytes of a valid address literal of `family`. */
function addressBytes(addr: string, family: 4 | 6): Buffer {
  return family === 4 ? Buffer.from(addr.split('.').map(Number)) : ipv6Bytes(addr)
}

/** RFC 5952 text of 16 bytes (node:net writes it so). */
function canonicalIpv6(bytes: Buffer): string {
  return new net.SocketAddress({ address: ipv6Text(bytes), family: 'ipv6' }).address
}

/** The 16 bytes of an IPv6 address (`::` expanded; a trailing dotted IPv4 part allowed). */
function ipv6Bytes(addr: string): Buffer {
  let text = addr
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)
  if (v4) {
    const b = v4[1]!.split('.').map(Number)
    text = text.slice(0, v4.index) + `${((b[0]! << 8) | b[1]!).toString(16)}:${((b[2]! << 8) | b[3]!).toString(16)}`
  }
  const [head, tail] = text.split('::') as [string, string | undefined]
  const groups = (s: string | undefined) => (s ? s.split(':') : [])
  const h = groups(head)
  const t = groups(tail)
  const all = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t]
  const out = Buffer.alloc(16)
  all.forEach((g, i) => out.writeUInt16BE(Number.parseInt(g, 16), i * 2))
  return out
}

/** An IPv6 address written out in full (node:net compresses it). */
function ipv6Text(bytes: Buffer): string {
  const g: string[] = []
  for (let i = 0; i < 16; i += 2) g.push(bytes.readUInt16BE(i).toString(16))
  return g.join(':')
}

/**
 * The longest prefix among `blocks` that holds the source `address`, or undefined when none
 * does. An IPv4-mapped IPv6 source (`::ffff:192.0.2.1`, a dual-stack socket's view of an IPv4
 * peer) is the IPv4 address it carries.
 */
export function longestMatch(blocks: readonly Cidr[], address: string): number | undefined {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)
  const a = mapped ? mapped[1]! : address
  const family = net.isIP(a) as 0 | 4 | 6
  if (family === 0) return undefined
  const bytes = addressBytes(a.split('%')[0]!, family)
  let best: number | undefined
  for (const b of blocks) {
    if (b.family !== family || (best !== undefined && b.prefix <= best)) continue
    if (networkOf(Buffer.from(bytes), b.prefix).equals(b.bytes)) best = b.prefix
  }
  return best
}

/** True when every address of `inner` lies in one of `outer`. */
export function coveredBy(inner: Cidr, outer: readonly Cidr[]): boolean {
  return outer.some(
    (o) =>
      o.family === inner.family &&
      o.prefix <= inner.prefix &&
      networkOf(Buffer.from(inner.bytes), o.prefix).equals(o.bytes),
  )
}
