import type { AddressRow } from '../../store/addresses.repo.js'
import { toRfc2822 } from '../../domain/time.js'

/** Twilio's 2010 Address shape (the fields twilio-node's AddressInstance reads). */
export function presentAddress(a: AddressRow) {
  const uri = `/2010-04-01/Accounts/${a.account_sid}/Addresses/${a.sid}.json`
  return {
    sid: a.sid,
    account_sid: a.account_sid,
    customer_name: a.customer_name,
    friendly_name: a.friendly_name,
    street: a.street,
    street_secondary: a.street_secondary,
    city: a.city,
    region: a.region,
    postal_code: a.postal_code,
    iso_country: a.iso_country,
    emergency_enabled: a.emergency_enabled === 1,
    validated: a.validated === 1,
    verified: a.verified === 1,
    date_created: toRfc2822(a.date_created),
    date_updated: toRfc2822(a.date_updated),
    uri,
  }
}
