/**
 * Where an account's right to use a number comes from (DESIGN §2). Customers never invent a
 * number: it is bought from the operator's inventory, placed by the operator, or hosted with a
 * reviewed letter of authorization. Numbers stored before origins existed are `unverified`
 * until the operator confirms them; such a number is not verified as the account's and gets
 * at most B (DESIGN §4 rule 2).
 */
export const NUMBER_ORIGINS = ['inventory', 'operator', 'hosted', 'unverified'] as const

export type NumberOrigin = (typeof NUMBER_ORIGINS)[number]

/** True when `origin` proves the holder's right to use the number (rule 2 may give A). */
export function isVerifiedOrigin(origin: string): boolean {
  return origin === 'inventory' || origin === 'operator' || origin === 'hosted'
}

/** What the explainer tells the holder of an unverified number. */
export const UNVERIFIED_STEP =
  'this number is not verified as yours: buy it from the inventory or file a hosted-number order'
