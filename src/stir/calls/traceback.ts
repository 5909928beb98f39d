/**
 * Traceback (issue #23): who placed a call this platform signed, and why it got its level. From
 * an Identity header (checked against our own certificates first: an answer is never guessed)
 * or from origid + orig + dest + time, it gathers the call records, the account and its
 * parent, the business profile and trust product the decision rested on, and the calling
 * number's right to use (with the hosted number's LOA). Shaping the answer is the presenter's.
 */
import type { Executor } from '../../store/db.js'
import { listCertificates, type CertificateRow } from '../../store/certificates.repo.js'
import { signedByIdentityHash, signedByOrigid, type CallRecordRow } from '../../store/call-records.repo.js'
import { findAccount, findAccountByOrigid, type AccountRow } from '../../store/accounts.repo.js'
import { findBundleForOperator, type BundleRow } from '../../store/bundles.repo.js'
import { attachmentsOf, type AttachmentRows } from '../../store/attachments.repo.js'
import { findHeldNumber, type PhoneNumberRow } from '../../store/numbers.repo.js'
import { findAddress, type AddressRow } from '../../store/addresses.repo.js'
import {
  findDocument,
  ordersForNumber,
  orderSidsOf,
  type AuthorizationDocumentRow,
  type HostedNumberOrderRow,
} from '../../store/hosted-numbers.repo.js'
import { COMPLETED } from '../../domain/hosted-number.js'
import type { ReceivedHeader } from '../vs/passport-decode.js'
import { identityHash } from './call-record.js'
import { checkOwnSignature, type TracedClaims } from './own-signature.js'

/** What to trace: a pasted Identity header, or the call's origid, numbers and time (epoch ms). */
export type TraceQuery =
  | { readonly identity: string }
  | { readonly origid: string; readonly orig: string; readonly dest: string; readonly at: number }

/**
 * How far from a PASSporT's iat its record may be: the signer takes an iat up to 60 s off its
 * clock (signing-service.ts), and the record carries the signer's time.
 */
const IAT_WINDOW_MS = 65_000
/** How far from a time an operator was given the call is looked for (reported times are approximate). */
const TIME_WINDOW_MS = 300_000

/** The hosted number's letter of authorization: the completed order, its address and its document. */
interface HostedLoa {
  readonly order: HostedNumberOrderRow
  readonly address?: AddressRow
  readonly document?: AuthorizationDocumentRow
  readonly documentOrders: readonly string[]
}

/** The calling number's right to use, as held now. */
export interface TracedNumber {
  /** Canonical TN (digits) as signed. */
  readonly tn: string
  readonly held?: PhoneNumberRow
  readonly hosted?: HostedLoa
}

/** What the search found (records may be empty: the origid's account is still named). */
export interface TraceFound {
  readonly verdict: 'found'
  /** True when an Identity header was checked and verified; null when traced by origid. */
  readonly signedByUs: true | null
  readonly signature?: {
    readonly certificate: CertificateRow
    readonly header: ReceivedHeader
    readonly identityHash: string
  }
  readonly claims?: TracedClaims
  readonly window: { readonly since: string; readonly until: string } | null
  readonly records: readonly CallRecordRow[]
  readonly account?: AccountRow
  readonly parent?: AccountRow
  readonly profile?: { readonly bundle: BundleRow; readonly attachments: AttachmentRows }
  readonly trustProduct?: BundleRow
  readonly number?: TracedNumber
}

export type TraceAnswer = TraceFound | { readonly verdict: 'not-ours'; readonly reason: string }

const iso = (ms: number) => new Date(ms).toISOString()
const windowAround = (ms: number, width: number) => ({ since: iso(ms - width), until: iso(ms + width) })

/** The records of a SHAKEN call: by origid and orig in the window, then by called number. */
async function byCall(
  db: Executor,
  q: { origid: string; orig: string; dest: string },
  w: { since: string; until: string },
) {
  const rows = await signedByOrigid(db, { origid: q.origid, orig: q.orig, ...w })
  return rows.filter((r) => r.dest === q.dest || parseList(r.dests).includes(q.dest))
}

const parseList = (s: string): string[] => {
  try {
    const v = JSON.parse(s)
    return Array.isArray(v) ? v.map(String) : []
  } catch {
    return []
  }
}

/** Traces `q` (see the module comment). Throws NotAnIdentityHeader for text that is no Identity header. */
export async function traceCall(db: Executor, q: TraceQuery): Promise<TraceAnswer> {
  if ('identity' in q) {
    const own = checkOwnSignature(q.identity, await listCertificates(db))
    if (!own.ok) return { verdict: 'not-ours', reason: own.reason }
    const hash = identityHash(own.identity)
    let records = await signedByIdentityHash(db, hash)
    const c = own.claims
    const window = windowAround(c.iat * 1000, IAT_WINDOW_MS)
    if (records.length === 0 && c.origid)
      records = await byCall(db, { origid: c.origid, orig: c.orig, dest: c.dest[0]! }, window)
    const signature = { certificate: own.certificate, header: own.header, identityHash: hash }
    return { ...(await around(db, records, c.origid, c.orig)), signedByUs: true, signature, claims: c, window }
  }
  const window = windowAround(q.at, TIME_WINDOW_MS)
  const records = await byCall(db, q, window)
  return { ...(await around(db, records, q.origid, q.orig)), signedByUs: null, window }
}

/** The facts around the newest record (or, with none, the origid's account). */
async function around(
  db: Executor,
  records: readonly CallRecordRow[],
  origid: string | undefined,
  orig: string,
): Promise<Omit<TraceFound, 'signedByUs' | 'window'>> {
  const r = records[0]
  const account = r ? await findAccount(db, r.account_sid) : origid ? await findAccountByOrigid(db, origid) : undefined
  const parent = account?.parent_sid ? await findAccount(db, account.parent_sid) : undefined
  const bundle = r?.profile_sid ? await findBundleForOperator(db, r.profile_sid) : undefined
  const profile = bundle && { bundle, attachments: await attachmentsOf(db, bundle) }
  const trustProduct = r?.trust_product_sid ? await findBundleForOperator(db, r.trust_product_sid) : undefined
  const number = account ? await numberOf(db, r?.orig ?? orig, account) : undefined
  return { verdict: 'found', records, account, parent, profile, trustProduct, number }
}

/** The calling number as held now, with the LOA of a hosted one. */
async function numberOf(db: Executor, tn: string, account: AccountRow): Promise<TracedNumber> {
  const e164 = `+${tn}`
  const held = await findHeldNumber(db, e164)
  if (held?.origin !== 'hosted') return { tn, held }
  const [order] = (await ordersForNumber(db, held.account_sid, e164, [COMPLETED])).sort((a, b) =>
    b.date_created.localeCompare(a.date_created),
  )
  if (!order) return { tn, held }
  const visible = [order.account_sid, ...(account.parent_sid ? [account.parent_sid] : [])]
  const address = await findAddress(db, visible, order.address_sid)
  const document = order.signing_document_sid
    ? await findDocument(db, [order.account_sid], order.signing_document_sid)
    : undefined
  const documentOrders = document ? await orderSidsOf(db, document.sid) : []
  return { tn, held, hosted: { order, address, document, documentOrders } }
}
