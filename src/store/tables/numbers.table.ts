/** IncomingPhoneNumbers (PN…): the numbers this platform owns and has placed on an account. */
export interface PhoneNumbersTable {
  sid: string
  account_sid: string
  /** E.164, unique across the platform: a number is held by at most one account. */
  phone_number: string
  friendly_name: string
  status_callback: string | null
  /** The right-to-use origin (src/domain/number-origin.ts): inventory, operator, hosted or unverified. */
  origin: string
  date_created: string
  date_updated: string
}

/** The operator's own numbers, which customers buy (AvailablePhoneNumbers, then IncomingPhoneNumbers). */
export interface PhoneNumberInventoryTable {
  /** E.164; one row per number. */
  phone_number: string
  /** The NPA (+1 NPA NXX XXXX). */
  area_code: string
  /** `local` or `toll-free`. */
  kind: string
  /** `available` or `held` (bought or placed on an account). */
  status: string
  date_created: string
  date_updated: string
}

/** Addresses (AD…), referenced by customer_profile_address supporting documents. */
export interface AddressesTable {
  sid: string
  account_sid: string
  customer_name: string
  friendly_name: string | null
  street: string
  street_secondary: string | null
  city: string
  region: string
  postal_code: string
  iso_country: string
  emergency_enabled: number
  validated: number
  verified: number
  date_created: string
  date_updated: string
}
