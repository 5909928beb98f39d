/**
 * What each console user's role may do, in one table: checked for every request a user
 * session makes (API keys, auth tokens and staff tokens keep their own powers). Reads are
 * open to every account role; a state-changing request (any method but GET, HEAD, OPTIONS)
 * is allowed when a rule names the role and covers the route. The routes are Fastify's
 * patterns (`/v1/CustomerProfiles/:Sid`): a rule covers its route and everything below it.
 */

export const ACCOUNT_ROLES = ['owner', 'compliance', 'developer', 'read-only'] as const
export type AccountRole = (typeof ACCOUNT_ROLES)[number]
/** Platform staff: users with no account. */
type StaffRole = 'reviewer' | 'operator'
export type UserRole = AccountRole | StaffRole

export const isAccountRole = (r: unknown): r is AccountRole => ACCOUNT_ROLES.includes(r as AccountRole)

interface Rule {
  readonly roles: readonly AccountRole[]
  readonly route: string
}

const ACCT = '/2010-04-01/Accounts/:AccountSid'
const COMPLIANCE: readonly AccountRole[] = ['owner', 'compliance']
const DEVELOPER: readonly AccountRole[] = ['owner', 'developer']
const BOTH: readonly AccountRole[] = ['owner', 'compliance', 'developer']

/** The changes each role may make (owners may make every change an account can). */
const ROLE_RULES: readonly Rule[] = [
  // Users, settings and credentials of the account: the owner's.
  { roles: ['owner'], route: '/console/api/users' },
  { roles: ['owner'], route: '/console/api/invitations' },
  { roles: ['owner'], route: '/console/api/account-security' },
  { roles: ['owner'], route: '/2010-04-01/Accounts' },
  { roles: ['owner'], route: '/v1/AuthTokens' },
  { roles: DEVELOPER, route: `${ACCT}/Keys` },
  // Compliance: profiles, trust products and what they are made of, submissions, hosted numbers.
  { roles: COMPLIANCE, route: '/v1/EndUsers' },
  { roles: COMPLIANCE, route: '/v1/SupportingDocuments' },
  { roles: COMPLIANCE, route: '/v1/CustomerProfiles' },
  { roles: COMPLIANCE, route: '/v1/TrustProducts' },
  { roles: COMPLIANCE, route: `${ACCT}/Addresses` },
  { roles: COMPLIANCE, route: '/v2/HostedNumber' },
  // Developers: numbers and their assignments to profiles and trust products, signing tests.
  { roles: DEVELOPER, route: `${ACCT}/IncomingPhoneNumbers` },
  { roles: BOTH, route: '/v1/CustomerProfiles/:BundleSid/ChannelEndpointAssignments' },
  { roles: BOTH, route: '/v1/TrustProducts/:BundleSid/ChannelEndpointAssignments' },
  { roles: DEVELOPER, route: '/stir/v1' },
]

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS'])

/** True when `route` is `under` or below it (`/x`, `/x/…`, `/x.json`). */
const covers = (under: string, route: string) =>
  route === under || route.startsWith(under + '/') || route.startsWith(under + '.')

/** True when a user of `role` may make a `method` request to the route pattern `route`. */
export function roleAllows(role: UserRole, method: string, route: string): boolean {
  if (!isAccountRole(role)) return false
  if (SAFE.has(method)) return true
  if (role === 'owner') return true
  return ROLE_RULES.some((r) => r.roles.includes(role) && covers(r.route, route))
}
