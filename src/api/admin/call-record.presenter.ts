/**
 * A call record as the call-record API contract shapes it (CallRecord: numbers in E.164), for
 * the traceback answer. The search API's presenter is the reference for this shape; this one is
 * the admin area's own until both read from one module.
 */
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

/** A canonical TN (digits with the country code) in E.164; anything else as it was recorded. */
const e164 = (tn: string) => (/^[1-9]\d{6,14}$/.test(tn) ? `+${tn}` : tn)

export function presentCallRecord(base: string, r: CallRecordRow) {
  return {
    sid: r.sid,
    date_created: r.date_created,
    kind: r.kind,
    ppt: r.ppt,
    account_sid: r.account_sid || null,
    parent_account_sid: r.parent_sid,
    from: e164(r.orig),
    to: listOf(r.dests).map(e164),
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
