/**
 * Call records as CSV (RFC 4180): a header row, then one row per record with the API's fields.
 * A cell that a spreadsheet would read as a formula (starting with = + - @, or a tab or CR) is
 * prefixed with a single quote, so an exported number or reason cannot run in the reader's
 * spreadsheet; the E.164 numbers' leading + is quoted the same way.
 */
import type { CallView } from './call.presenter.js'

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

/** One cell: formula-guarded, quoted when it holds a comma, quote or line break. */
export function csvCell(value: string | null | undefined): string {
  let v = value ?? ''
  if (/^[=+\-@\t\r]/.test(v)) v = `'${v}`
  return /[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v
}

const line = (cells: readonly (string | null | undefined)[]) => `${cells.map(csvCell).join(',')}\r\n`

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
