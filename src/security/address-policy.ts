/**
 * Which network addresses an outbound fetch (x5u, status callbacks) may reach. Private,
 * loopback, link-local, multicast and other special ranges are refused unless the target
 * `host[:port]` is on an operator allow-list: the classic SSRF targets (127.0.0.1,
 * 169.254.169.254 cloud metadata, RFC 1918 networks) stay unreachable by default.
 */
import net from 'node:net'

const blocked = new net.BlockList()
for (const [addr, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  blocked.addSubnet(addr, prefix, 'ipv4')
for (const [addr, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['2001:db8::', 32],
  ['64:ff9b::', 96],
] as const)
  blocked.addSubnet(addr, prefix, 'ipv6')

/** True for addresses no outbound fetch may reach without an allow-list entry. */
export function isForbiddenAddress(ip: string): boolean {
  const v = net.isIP(ip)
  if (v === 4) return blocked.check(ip, 'ipv4')
  if (v === 6) {
    // IPv4-mapped IPv6 (::ffff:127.0.0.1) is judged as the IPv4 address it carries.
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)
    if (mapped) return blocked.check(mapped[1]!, 'ipv4')
    return blocked.check(ip, 'ipv6')
  }
  return true
}

/** True when `host` (and `port`, if the entry names one) is on the allow-list of `host[:port]` entries. */
export function isAllowedHost(allow: readonly string[], host: string, port: number): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '')
  return allow.some((entry) => {
    const m = /^\[?([^\]]+?)\]?(?::(\d+))?$/.exec(entry.trim().toLowerCase())
    if (!m) return false
    return m[1] === h && (m[2] === undefined || Number(m[2]) === port)
  })
}
