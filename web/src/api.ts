/**
 * The console's only door to the server: same-origin calls to the real API, authenticated by
 * the HttpOnly session cookie. State-changing calls echo the CSRF token (double submit); the
 * browser never holds an auth token or secret.
 */

/** Twilio's error body, kept whole so forms can show `code` and the parameter it names. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message)
  }
  /** The parameter a 20001 error names ("Invalid parameter Foo: …"), if any. */
  get param(): string | undefined {
    return /parameter (\w+)/.exec(this.message)?.[1]
  }
}

let csrfToken = ''
/** Called when a call answers 401: the session ended on the server (signed out elsewhere, revoked, timed out). */
let onSignedOut: (() => void) | undefined

export function whenSignedOut(f: (() => void) | undefined) {
  onSignedOut = f
}
/** The sub-account the console acts in (the header's account switcher); undefined: the signed-in account. */
let actingAccount: string | undefined

/** Every later call acts in `sid` (X-Stirhub-Account) unless it names its own `account`. */
export function setActingAccount(sid: string | undefined) {
  actingAccount = sid
}

/** Set from the session response; the readable cookie is the fallback after a reload. */
export function setCsrf(token: string) {
  csrfToken = token
}

function csrf(): string {
  if (csrfToken) return csrfToken
  const m = /(?:^|;\s*)stirhub_csrf=([^;]+)/.exec(document.cookie)
  return m?.[1] ?? ''
}

export interface CallOptions {
  /** Twilio-style form body. */
  readonly form?: Record<string, string | number | boolean | undefined>
  readonly json?: unknown
  /** A CSV upload (`text/csv`). */
  readonly csv?: string
  readonly query?: Record<string, string | undefined>
  /** Act as this sub-account (the API's own parent-token rule decides); defaults to the switcher's. */
  readonly account?: string
}

export async function api<T = any>(method: string, path: string, o: CallOptions = {}): Promise<T> {
  // X-Requested-With: a 401 then challenges with a scheme that opens no browser sign-in dialog.
  const headers: Record<string, string> = { accept: 'application/json', 'x-requested-with': 'XMLHttpRequest' }
  if (method !== 'GET') headers['x-csrf-token'] = csrf()
  const account = o.account ?? actingAccount
  if (account) headers['x-stirhub-account'] = account
  let body: string | undefined
  if (o.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded'
    body = new URLSearchParams(
      Object.entries(o.form)
        .filter(([, v]) => v !== undefined && v !== '')
        .map(([k, v]) => [k, String(v)]),
    ).toString()
  } else if (o.json !== undefined) {
    headers['content-type'] = 'application/json'
    body = JSON.stringify(o.json)
  } else if (o.csv !== undefined) {
    headers['content-type'] = 'text/csv'
    body = o.csv
  }
  const qs = o.query
    ? '?' + new URLSearchParams(Object.entries(o.query).filter((e): e is [string, string] => !!e[1])).toString()
    : ''
  const res = await fetch(path + qs, { method, headers, body, credentials: 'same-origin' })
  const text = await res.text()
  const data = text ? safeJson(text) : null
  if (!res.ok) {
    // Sign-in itself answers 401 to a wrong password: that is the form's to show.
    if (res.status === 401 && path !== '/console/api/session') onSignedOut?.()
    throw errorOf(res, data)
  }
  return data as T
}

/** The API's error as an ApiError: Twilio's `{code, message}`, or ATIS's `requestError` on /stir. */
function errorOf(res: Response, data: unknown): ApiError {
  const d = (data ?? {}) as {
    code?: number
    message?: string
    requestError?: Record<string, { text?: string } | undefined>
  }
  const atis = d.requestError && Object.values(d.requestError)[0]?.text
  return new ApiError(res.status, d.code ?? res.status, d.message ?? atis ?? `${res.status} ${res.statusText}`)
}

/**
 * Saves what a GET answers in `accept` (a CSV export) as the file `name`: fetched with the
 * session (and the acting account), then handed to the browser as a download.
 */
export async function download(
  path: string,
  query: Record<string, string | undefined>,
  accept: string,
  name: string,
): Promise<void> {
  const headers: Record<string, string> = { accept, 'x-requested-with': 'XMLHttpRequest' }
  if (actingAccount) headers['x-stirhub-account'] = actingAccount
  const qs = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => !!e[1])).toString()
  const res = await fetch(`${path}${qs ? `?${qs}` : ''}`, { headers, credentials: 'same-origin' })
  if (!res.ok) {
    const text = await res.text()
    throw errorOf(res, text ? safeJson(text) : null)
  }
  const url = URL.createObjectURL(await res.blob())
  const a = document.createElement('a')
  a.href = url
  a.download = name
  document.body.append(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

/** True when the route is not on this server yet (another part is still being built). */
export function isMissingRoute(e: unknown): boolean {
  return (
    e instanceof ApiError &&
    e.status === 404 &&
    /was not found/.test(e.message) &&
    !/\/[A-Z]{2}[0-9a-f]{32}/.test(e.message)
  )
}

/** The person signed in with email and password (absent for a token session). */
export interface SessionUser {
  readonly sid: string
  readonly email: string
  readonly role: 'owner' | 'compliance' | 'developer' | 'read-only' | 'reviewer' | 'operator'
  readonly two_factor: boolean
  readonly must_enrol_two_factor: boolean
}

export interface AccountSession {
  readonly kind: 'account'
  readonly user?: SessionUser
  readonly account_sid: string
  readonly friendly_name: string
  readonly parent_account_sid: string | null
  readonly via: string
  /** How many sub-accounts it has (the console pages through them with the Accounts list). */
  readonly sub_account_count: number
  readonly csrf_token: string
  /** False when the server sends no email (no invitations by mail, no notifications). */
  readonly mail: boolean
}
export interface AdminSession {
  readonly kind: 'admin'
  readonly role: 'operator' | 'reviewer'
  readonly user?: SessionUser
  readonly csrf_token: string
  readonly mail: boolean
}
export type SessionView = AccountSession | AdminSession
