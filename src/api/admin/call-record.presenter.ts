/**
 * A call record as the call-record API contract shapes it (CallRecord), for the traceback
 * answer. The search API's presenter is the reference for this shape; this one is the admin
 * area's own until both read from one module.
 */
import { toV1Date } from '../../domain/time.js'
import type { CallRecordRow } from '../../store/call-records.repo.js'

/** A JSON array column as strings (anything else reads as none). */
export function listOf(s: string): string[] {
  try {
    const v = JSON.parse(s)
    return Array.isArray(v) ? v.map(String) : []
  } catch {
    return []
  }
}

export function presentCallRecord(base: string, r: CallRecordRow) {
  return {
    sid: r.sid,
    date_created: toV1Date(r.date_created),
    kind: r.kind,
    ppt: r.ppt,
    account_sid: r.account_sid,
    parent_account_sid: r.parent_sid,
    from: r.orig,
    to: listOf(r.dests),
    attest: r.attest,
    origid: r.origid,
    transport: r.transport,
    request_id: r.request_id,
    identity_hash: r.identity_hash,
    decision:
      r.kind === 'signed'
        ? {
            rule: r.rule,
            reasons: listOf(r.reasons),
            profile_sid: r.profile_sid,
            trust_product_sid: r.trust_product_sid,
            number_origin: r.origin,
          }
        : null,
    verification:
      r.kind === 'verified'
        ? {
            verstat: r.verstat,
            reason: r.reason,
            spc: r.spc,
            cert_issuer: r.cert_issuer,
            cert_serial: r.cert_serial,
            x5u_host: r.x5u_host,
          }
        : null,
    url: `${base}/admin/v1/calls/${r.sid}`,
  }
}
