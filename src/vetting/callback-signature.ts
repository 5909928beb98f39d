/**
 * Status-callback payload and signature. Twilio signs webhooks with HMAC-SHA1 keyed by the
 * account's auth token over the full URL followed by every POST parameter, sorted by name,
 * as name+value with no separators; the digest goes base64 in `X-Twilio-Signature`
 * (https://www.twilio.com/docs/usage/security#validating-requests). Doing exactly that lets
 * receivers use `twilio.validateRequest` unchanged.
 */
import { createHmac } from 'node:crypto'
import { toV1Date } from '../domain/time.js'

/** Header names the receiver sees. */
export const SIGNATURE_HEADER = 'X-Twilio-Signature'
export const IDEMPOTENCY_HEADER = 'I-Twilio-Idempotency-Token'

/** The bundle fields a status callback reports. */
export interface CallbackBundle {
  readonly sid: string
  readonly account_sid: string
  readonly status: string
  readonly failure_reason: string | null
  readonly valid_until: string | null
  /** JSON text of [{code}] or null, as stored on the bundle. */
  readonly errors: string | null
}

/**
 * The form parameters: `AccountSid, BundleSid, Status, FailureReason, ValidUntil, Errors`.
 * Absent values are sent empty; `Errors` is the comma-separated rejection codes.
 */
export function callbackParams(b: CallbackBundle): Record<string, string> {
  let codes: string[] = []
  try {
    codes = ((b.errors ? JSON.parse(b.errors) : []) as { code: number }[]).map((e) => String(e.code))
  } catch {
    /* none */
  }
  return {
    AccountSid: b.account_sid,
    BundleSid: b.sid,
    Status: b.status,
    FailureReason: b.failure_reason ?? '',
    ValidUntil: toV1Date(b.valid_until) ?? '',
    Errors: codes.join(','),
  }
}

/** Twilio's webhook signature of a form POST to `url` with `params`, keyed by `authToken`. */
export function twilioSignature(authToken: string, url: string, params: Readonly<Record<string, string>>): string {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, k) => acc + k + params[k], url)
  return createHmac('sha1', authToken).update(Buffer.from(data, 'utf8')).digest('base64')
}

/** The form-encoded body, in the same key order the signature used. */
export function formBody(params: Readonly<Record<string, string>>): string {
  return new URLSearchParams(
    Object.keys(params)
      .sort()
      .map((k) => [k, params[k]!]),
  ).toString()
}
