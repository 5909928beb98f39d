/**
 * The source addresses the SIP redirect fronts serve: the trusted SBCs' CIDRs
 * (`STIRHUB_SIP_TRUSTED`); every other source gets 403 (front-gate.ts).
 */
import net from 'node:net'

/** A BlockList matching the trusted CIDRs (IPv4-mapped IPv6 sources are checked as IPv4). */
export function trustedSources(cidrs: readonly string[]): (address: string) => boolean {
  const list = new net.BlockList()
  for (const c of cidrs) {
    const [addr, prefix] = c.split('/') as [string, string]
    list.addSubnet(addr, Number(prefix), net.isIPv6(addr) ? 'ipv6' : 'ipv4')
  }
  // SBCs are few: a decision per source address saves a native address object per request.
  const seen = new Map<string, boolean>()
  return (address) => {
    let ok = seen.get(address)
    if (ok === undefined) {
      const a = address.startsWith('::ffff:') && net.isIPv4(address.slice(7)) ? address.slice(7) : address
      ok = list.check(a, net.isIPv6(a) ? 'ipv6' : 'ipv4')
      if (seen.size >= 4096) seen.clear()
      seen.set(address, ok)
    }
    return ok
  }
}
