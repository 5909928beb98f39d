import type { AccountRow } from '../../store/accounts.repo.js'
import { toRfc2822 } from '../../domain/time.js'

/** Twilio's 2010 Account shape; `auth_token` appears only in the response that creates it. */
export function presentAccount(a: AccountRow, authToken?: string) {
  const uri = `/2010-04-01/Accounts/${a.sid}.json`
  const sub = (name: string) => `/2010-04-01/Accounts/${a.sid}/${name}.json`
  return {
    sid: a.sid,
    friendly_name: a.friendly_name,
    status: a.status,
    type: 'Full',
    owner_account_sid: a.parent_sid ?? a.sid,
    auth_token: authToken ?? null,
    date_created: toRfc2822(a.date_created),
    date_updated: toRfc2822(a.date_updated),
    uri,
    subresource_uris: {
      addresses: sub('Addresses'),
      incoming_phone_numbers: sub('IncomingPhoneNumbers'),
      keys: sub('Keys'),
    },
  }
}
