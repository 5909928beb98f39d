/**
 * A call record as the API shows it (`GET /stir/v1/calls`, `GET /admin/v1/calls`, traceback):
 * numbers in E.164, the decision of a signed call or the outcome of a verified one, and the
 * record's own URL. The CSV export writes the same fields, one column each.
 */
import type { CallRecordRow } from '../../store/call-records.repo.js'
import type { CallView } from '../../domain/call-view.js'

/** A canonical TN (digits with the country code) in E.164; anything else as it was recorded. */
const e164 = (tn: string) => (/^[1-9]\d{6,14}$/.test(tn) ? `+${tn}` : tn)

/** A JSON array column as strings (anything else reads as none). */
export function jsonList(text: string): string[] {
  try {
    const v: unknown = JSON.parse(text)
    return Array.isArray(v) ? v.map(String) : []
  } catch {
    return []
  }
}

/** The API's view of a record; `base` is the list's URL (the record's is `base/{sid}`). */
export function presentCall(r: CallRecordRow, base: string): CallView {
  return {
    sid: r.sid,
    date_created: r.date_created,
    kind: r.kind as CallView['kind'],
    ppt: r.ppt,
    account_sid: r.account_sid || null,
    parent_account_sid: r.parent_sid,
    from: e164(r.orig),
    to: jsonList(r.dests).map(e164),
    attest: r.attest as CallView['attest'],
    origid: r.origid,
    transport: r.transport,
    request_id: r.request_id,
    identity_hash: r.identity_hash,
    decision:
      r.kind === 'signed'
        ? {
            rule: r.rule,
            reasons: jsonList(r.reasons),
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
    url: `${base}/${r.sid}`,
  }
}
