/**
 * A call record as the call-record API answers it (`GET /stir/v1/calls`, `GET /admin/v1/calls`,
 * traceback; src/api/calls/call.presenter.ts builds it): types only, shared with the console.
 */

/** What a signed call's decision was, as the engine made it. */
interface CallDecisionView {
  readonly rule: string | null
  readonly reasons: string[]
  readonly profile_sid: string | null
  readonly trust_product_sid: string | null
  readonly number_origin: string | null
}

/** What a verified call's signer was and how the verification ended. */
interface CallVerificationView {
  readonly verstat: string | null
  readonly reason: string | null
  readonly spc: string | null
  readonly cert_issuer: string | null
  readonly cert_serial: string | null
  readonly x5u_host: string | null
}

/** A call record as the API shows it. */
export interface CallView {
  readonly sid: string
  readonly date_created: string
  readonly kind: 'signed' | 'verified'
  readonly ppt: string
  readonly account_sid: string | null
  readonly parent_account_sid: string | null
  readonly from: string
  readonly to: string[]
  readonly attest: 'A' | 'B' | 'C' | null
  readonly origid: string | null
  readonly transport: string
  readonly request_id: string | null
  readonly identity_hash: string | null
  readonly decision: CallDecisionView | null
  readonly verification: CallVerificationView | null
  readonly url: string
}
