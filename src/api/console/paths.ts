/** Paths of console routes that other console files name (no imports: no cycles). */
export const USERS_PATH = '/console/api/users'
export const INVITATIONS_PATH = '/console/api/invitations'
export const ACCOUNT_SECURITY_PATH = '/console/api/account-security'
