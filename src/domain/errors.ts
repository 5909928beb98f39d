/**
 * The one error catalogue. Domain code throws `AppError`s built from these entries; the HTTP
 * layer renders them as Twilio's `{code,message,more_info,status}` body (or ATIS's
 * `requestError` for /stir routes). Entries carry no transport detail beyond the status.
 */
export interface ErrorDef {
  /** Twilio numeric error code (https://www.twilio.com/docs/errors/<code>). */
  readonly code: number
  readonly status: number
}

export const ERRORS = {
  MISSING_PARAM: { code: 20001, status: 400 },
  INVALID_PARAM: { code: 20001, status: 400 },
  UNAUTHENTICATED: { code: 20003, status: 401 },
  /** An API key on a route that manages accounts or keys (Twilio's standard keys cannot). */
  AUTH_TOKEN_REQUIRED: { code: 20003, status: 403 },
  FORBIDDEN: { code: 20403, status: 403 },
  /** Credentials of a suspended account (or of a sub-account of one), or signing for one. */
  ACCOUNT_INACTIVE: { code: 20005, status: 403 },
  /** A status change of a closed account (closing is final). */
  ACCOUNT_CLOSED: { code: 20001, status: 400 },
  /** A console user whose role does not allow the request (domain/roles.ts). */
  ROLE_FORBIDDEN: { code: 20403, status: 403 },
  /** A sign-in with a right password that needs a two-factor code (absent or wrong). */
  TWO_FACTOR_REQUIRED: { code: 20003, status: 401 },
  /** A user of an account that requires two-factor, who has not enrolled yet: enrol first. */
  TWO_FACTOR_ENROLMENT_REQUIRED: { code: 20403, status: 403 },
  /** A single sign-on that failed a check (state, nonce, issuer, audience, signature, email domain). */
  SSO_REFUSED: { code: 20003, status: 401 },
  /** An invitation or password-reset link that is unknown, used or expired. */
  LINK_INVALID: { code: 20001, status: 400 },
  /** A password shorter than the floor, or one of the commonest. */
  WEAK_PASSWORD: { code: 20001, status: 400 },
  /** A console sign-in sent by a page of another site (Origin, Sec-Fetch-Site). */
  CROSS_SITE_REQUEST: { code: 20403, status: 403 },
  NOT_FOUND: { code: 20404, status: 404 },
  /** A CNAM lookup of a number with no approved, unexpired CNAM name (or, for a customer, another account's number). */
  CNAM_NOT_FOUND: { code: 20404, status: 404 },
  METHOD_NOT_ALLOWED: { code: 20004, status: 405 },
  CONFLICT: { code: 20409, status: 409 },
  /** The request's head (line and fields) is over the server's limit (Node's 16 KiB). */
  HEADERS_TOO_LARGE: { code: 20431, status: 431 },
  EXPECTATION_FAILED: { code: 20417, status: 417 },
  /** The client did not send its whole request in time. */
  REQUEST_TIMEOUT: { code: 20408, status: 408 },
  PAYLOAD_TOO_LARGE: { code: 20413, status: 413 },
  UNSUPPORTED_MEDIA: { code: 20415, status: 415 },
  RATE_LIMITED: { code: 20429, status: 429 },
  INTERNAL: { code: 20500, status: 500 },
  UNAVAILABLE: { code: 20503, status: 503 },
  /** An approval's ValidUntil further ahead than STIRHUB_MAX_APPROVAL_DAYS. */
  APPROVAL_TOO_LONG: { code: 20001, status: 400 },
  /** A number to buy that is not in the operator's inventory, or is held by an account. */
  NUMBER_NOT_AVAILABLE: { code: 21422, status: 400 },
  /** An AreaCode to buy in with no free number in the inventory. */
  NO_NUMBERS_IN_AREA: { code: 21452, status: 400 },
  INVALID_PHONE_NUMBER: { code: 21421, status: 400 },
  /** Text no store can keep as sent: U+0000 (NUL, refused by PostgreSQL) or a lone UTF-16 surrogate. */
  INVALID_TEXT: { code: 21250, status: 400 },
  /** Submitting a bundle whose evaluation is noncompliant. */
  BUNDLE_NONCOMPLIANT: { code: 22214, status: 400 },
  /** A state change the bundle's current status does not allow. */
  BUNDLE_STATE: { code: 22218, status: 400 },
  /** Editing or deleting an end user, document or address attached to a bundle under review or approved. */
  OBJECT_LOCKED: { code: 22218, status: 400 },
  /** Copies of a bundle that is not twilio-approved (Twilio's 18607, "not eligible to be copied"). */
  NOT_COPYABLE: { code: 18607, status: 400 },
  /** ReplaceItems from a copy that is not twilio-approved (or whose approval ran out). */
  COPY_NOT_APPROVED: { code: 22218, status: 400 },
  /** ReplaceItems whose FromBundleSid is not a copy of this bundle in the same account. */
  NOT_A_COPY: { code: 20001, status: 400 },
  /** Submitting a primary customer profile while the account already has one submitted, approved or rejected. */
  PRIMARY_PROFILE_EXISTS: { code: 20409, status: 409 },
  /** A reviewer's approval of a trust product whose linked customer profile is not approved (or expired). */
  LINKED_PROFILE_NOT_APPROVED: { code: 22218, status: 400 },
  /** A reviewer's approval while an automated check fails, without an OverrideReason. */
  CHECKS_FAILED: { code: 22218, status: 400 },
  /** Approving a Branded Calls product whose logo could not be fetched now: no bytes to pin a digest of. */
  BRAND_LOGO_UNAVAILABLE: { code: 22218, status: 400 },
  /** An outbound fetch (x5u, CRL, status callback) refused by its guard or failed (details.kind says why). */
  OUTBOUND_REFUSED: { code: 20502, status: 502 },
} as const satisfies Record<string, ErrorDef>

export type ErrorKey = keyof typeof ERRORS

export class AppError extends Error {
  readonly key: ErrorKey
  readonly code: number
  readonly status: number
  readonly details?: Readonly<Record<string, unknown>>

  constructor(key: ErrorKey, message: string, details?: Record<string, unknown>, code?: number) {
    super(message)
    this.name = 'AppError'
    this.key = key
    this.code = code ?? ERRORS[key].code
    this.status = ERRORS[key].status
    if (details) this.details = Object.freeze({ ...details })
  }
}

/** Factories for the errors raised most often, so messages stay uniform. */
export const errors = {
  missing: (param: string, where = 'the post body') =>
    new AppError('MISSING_PARAM', `Missing required parameter ${param} in ${where}`, { param }),
  invalid: (param: string, why: string) =>
    new AppError('INVALID_PARAM', `Invalid parameter ${param}: ${why}`, { param }),
  /** Text that holds a character no store keeps (see input-guards.ts); `why` says which. */
  text: (param: string, why: string) => new AppError('INVALID_TEXT', `Invalid parameter ${param}: ${why}`, { param }),
  notFound: (path: string) => new AppError('NOT_FOUND', `The requested resource ${path} was not found`),
  methodNotAllowed: (method: string, path: string, allow: readonly string[]) =>
    new AppError('METHOD_NOT_ALLOWED', `Method ${method} is not allowed on ${path} (allowed: ${allow.join(', ')})`),
  unauthenticated: () => new AppError('UNAUTHENTICATED', 'Authentication Error - invalid username or password'),
  forbidden: (why: string) => new AppError('FORBIDDEN', why),
  state: (why: string) => new AppError('BUNDLE_STATE', why),
  /** `what` (an IT, RD or AD SID) is frozen by `bundle`, which is under review or approved (DESIGN §2). */
  locked: (what: string, bundle: { readonly sid: string; readonly status: string; readonly kind: string }) => {
    const copies = `POST /v1/${bundle.kind === 'trust-product' ? 'TrustProducts' : 'CustomerProfiles'}/${bundle.sid}/Copies`
    const message =
      bundle.status === 'twilio-approved'
        ? `${what} is part of approved bundle ${bundle.sid}; make a copy with ${copies}, edit and submit it`
        : `${what} is part of bundle ${bundle.sid}, which is ${bundle.status}; it cannot change while under review: wait for the decision (a rejected bundle is editable again; an approved one changes through ${copies})`
    return new AppError('OBJECT_LOCKED', message, { sid: what, bundle_sid: bundle.sid, bundle_status: bundle.status })
  },
} as const
