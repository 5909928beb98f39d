/** The navigation of each area: [path under /console, label]. Pages themselves load per area (areas/). */
import type { SessionView } from './api'

type Nav = ReadonlyArray<readonly [string, string]>

const CUSTOMER_NAV: Nav = [
  ['/', 'Dashboard'],
  ['/onboarding/direct', 'Direct customer onboarding'],
  ['/onboarding/isv', 'ISV / reseller onboarding'],
  ['/bundles', 'Profiles & trust products'],
  ['/branding', 'Branded calling'],
  ['/numbers', 'Phone numbers'],
  ['/calls', 'Calls'],
  ['/analytics', 'Inbound calls'],
  ['/simulator', 'Attestation simulator'],
]
const REVIEWER_NAV: Nav = [['/reviews', 'Review queue']]
const OPERATOR_NAV: Nav = [
  ...REVIEWER_NAV,
  ['/operator/accounts', 'Accounts'],
  ['/operator/inventory', 'Number inventory'],
  ['/operator/trunks', 'SIP trunks'],
  ['/operator/analytics', 'Inbound calls'],
  ['/operator/reviewers', 'Reviewers'],
  ['/operator/traceback', 'Traceback'],
  ['/operator/platform', 'Platform'],
]

/** For accounts with sub-accounts (ISVs): their customers, one per sub-account. */
const CUSTOMERS: Nav = [['/customers', 'Customers']]

/** A person's own pages (sessions, two-factor), and an owner's users of the account. */
const SECURITY: Nav = [['/security', 'Security']]
const USERS: Nav = [['/users', 'Users']]

export function navFor(s: SessionView): Nav {
  const own = s.user ? SECURITY : []
  if (s.kind === 'account') {
    const base =
      s.sub_account_count > 0 ? [...CUSTOMER_NAV.slice(0, 3), ...CUSTOMERS, ...CUSTOMER_NAV.slice(3)] : CUSTOMER_NAV
    return [...base, ...(s.user?.role === 'owner' ? USERS : []), ...own]
  }
  return [...(s.role === 'operator' ? OPERATOR_NAV : REVIEWER_NAV), ...own]
}
