/**
 * SIP trunks for tests, through the admin API as an operator would: the SIP signing front signs
 * for the account of the trunk an INVITE arrives on, so a test names the account of its SBC
 * (sipp on 127.0.0.1) by pointing a trunk at it.
 */
import { http, type Res } from './http.js'
import { ADMIN_TOKEN } from './server.js'

const operator = { bearer: ADMIN_TOKEN }

/** Creates a trunk; the API's answer. */
export function createTrunk(
  url: string,
  accountSid: string,
  sourceAddresses: readonly string[],
  trunkGroup?: string,
): Promise<Res> {
  return http(url, 'POST', '/admin/v1/SipTrunks', {
    auth: operator,
    json: {
      FriendlyName: `SBC of ${accountSid}`,
      AccountSid: accountSid,
      SourceAddresses: sourceAddresses,
      TrunkGroup: trunkGroup,
    },
  })
}

/**
 * Points the trunk for `address` (default 127.0.0.1/32, no trunk group) at `accountSid`,
 * creating it the first time; its SID.
 */
export async function useTrunk(url: string, accountSid: string, address = '127.0.0.1/32'): Promise<string> {
  const list = await http(url, 'GET', '/admin/v1/SipTrunks?PageSize=1000', { auth: operator })
  const existing = (
    list.body.results as Array<{ sid: string; source_addresses: string[]; trunk_group: string | null }>
  ).find((t) => t.trunk_group === null && t.source_addresses.includes(address))
  const r = existing
    ? await http(url, 'POST', `/admin/v1/SipTrunks/${existing.sid}`, {
        auth: operator,
        json: { AccountSid: accountSid },
      })
    : await createTrunk(url, accountSid, [address])
  if (r.status !== (existing ? 200 : 201))
    throw new Error(`trunk for ${address}: ${r.status} ${JSON.stringify(r.body)}`)
  return r.body.sid
}
