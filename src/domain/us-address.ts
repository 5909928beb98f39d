/**
 * The built-in check behind an Address's `validated`/`verified` flags: a US address with a real
 * state (or territory) code and a 5-digit ZIP (optionally ZIP+4). No external geocoder: the
 * flags say the address is well-formed, which is what the evaluation of a customer_profile_address
 * needs (Trust Hub rejection 18603 is for addresses that are not).
 */

/** USPS two-letter codes of the states, DC and the inhabited territories. */
export const US_STATE_CODES: ReadonlySet<string> = new Set([
  'AL',
  'AK',
  'AZ',
  'AR',
  'CA',
  'CO',
  'CT',
  'DE',
  'DC',
  'FL',
  'GA',
  'HI',
  'ID',
  'IL',
  'IN',
  'IA',
  'KS',
  'KY',
  'LA',
  'ME',
  'MD',
  'MA',
  'MI',
  'MN',
  'MS',
  'MO',
  'MT',
  'NE',
  'NV',
  'NH',
  'NJ',
  'NM',
  'NY',
  'NC',
  'ND',
  'OH',
  'OK',
  'OR',
  'PA',
  'RI',
  'SC',
  'SD',
  'TN',
  'TX',
  'UT',
  'VT',
  'VA',
  'WA',
  'WV',
  'WI',
  'WY',
  'AS',
  'GU',
  'MP',
  'PR',
  'VI',
])

/** True for a US address whose region is a USPS state code and whose postal code is a ZIP. */
export function isValidUsAddress(a: {
  readonly isoCountry: string
  readonly region: string
  readonly postalCode: string
}): boolean {
  return (
    a.isoCountry.toUpperCase() === 'US' &&
    US_STATE_CODES.has(a.region.trim().toUpperCase()) &&
    /^\d{5}(-\d{4})?$/.test(a.postalCode.trim())
  )
}
