/**
 * Call records as CSV (domain/csv.ts: RFC 4180, formula-guarded): a header row, then one row
 * per record with the API's fields.
 */
import type { CallView } from '../../domain/call-view.js'
import { csvLine } from '../../domain/csv.js'

const HEADER = [
  'sid',
  'date_created',
  'kind',
  'ppt',
  'account_sid',
  'parent_account_sid',
  'from',
  'to',
  'attest',
  'origid',
  'transport',
  'request_id',
  'identity_hash',
  'rule',
  'reasons',
  'profile_sid',
  'trust_product_sid',
  'number_origin',
  'verstat',
  'reason',
  'spc',
  'cert_issuer',
  'cert_serial',
  'x5u_host',
] as const

const line = (cells: readonly (string | null | undefined)[]) => csvLine(cells.map((c) => c ?? ''))

export const csvHeader = (): string => line(HEADER)

/** One record's row, in the header's order (lists joined with `; `, or spaces for numbers). */
export function csvRow(c: CallView): string {
  const d = c.decision
  const v = c.verification
  return line([
    c.sid,
    c.date_created,
    c.kind,
    c.ppt,
    c.account_sid,
    c.parent_account_sid,
    c.from,
    c.to.join(' '),
    c.attest,
    c.origid,
    c.transport,
    c.request_id,
    c.identity_hash,
    d?.rule,
    d?.reasons.join('; '),
    d?.profile_sid,
    d?.trust_product_sid,
    d?.number_origin,
    v?.verstat,
    v?.reason,
    v?.spc,
    v?.cert_issuer,
    v?.cert_serial,
    v?.x5u_host,
  ])
}
