import type { InventoryRow } from '../../store/inventory.repo.js'

/**
 * Twilio's AvailablePhoneNumber (`US/Local`, `US/TollFree`): every field twilio-node's LocalInstance
 * reads. The inventory keeps numbers, not rate-centre data, so the geographic fields are null;
 * voice only (the platform signs calls; messaging is not its job), no address required.
 */
export function presentAvailableNumber(n: InventoryRow) {
  return {
    friendly_name: `(${n.phone_number.slice(2, 5)}) ${n.phone_number.slice(5, 8)}-${n.phone_number.slice(8)}`,
    phone_number: n.phone_number,
    lata: null,
    locality: null,
    rate_center: null,
    latitude: null,
    longitude: null,
    region: null,
    postal_code: null,
    iso_country: 'US',
    address_requirements: 'none',
    beta: false,
    capabilities: { voice: true, SMS: false, MMS: false },
  }
}

/** Twilio's AvailablePhoneNumberCountry for the one country sold here. */
export function presentUsCountry(accountSid: string) {
  const uri = `/2010-04-01/Accounts/${accountSid}/AvailablePhoneNumbers/US.json`
  return {
    country_code: 'US',
    country: 'United States',
    uri,
    beta: false,
    subresource_uris: {
      local: uri.replace(/\.json$/, '/Local.json'),
      toll_free: uri.replace(/\.json$/, '/TollFree.json'),
    },
  }
}
