/**
 * The JSON of a traceback answer (POST /admin/v1/traceback): one document an operator can hand
 * on, with the call records, the account, the business, the number's right to use and the
 * decision exactly as recorded.
 */
import { toV1Date } from '../../domain/time.js'
import type { AccountRow } from '../../store/accounts.repo.js'
import type { AddressRow } from '../../store/addresses.repo.js'
import type { BundleRow } from '../../store/bundles.repo.js'
import type { AttachmentRows } from '../../store/attachments.repo.js'
import type { TraceAnswer, TraceFound, TracedNumber } from '../../stir/calls/traceback.js'
import { x5uFor } from '../../stir/cert/signer.js'
import { presentDocument, presentOrder } from '../hosted-numbers/hosted-numbers.presenter.js'
import { jsonList, presentCall } from '../calls/call.presenter.js'

const BUSINESS = 'customer_profile_business_information'
const REPRESENTATIVES = ['authorized_representative_1', 'authorized_representative_2']

const attributes = (s: string): Record<string, unknown> => {
  try {
    const v = JSON.parse(s)
    return v && typeof v === 'object' && !Array.isArray(v) ? v : {}
  } catch {
    return {}
  }
}
const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null)

const presentAccount = (a: AccountRow | undefined) =>
  a ? { sid: a.sid, friendly_name: a.friendly_name, status: a.status } : null

const presentPostal = (a: AddressRow) => ({
  sid: a.sid,
  customer_name: a.customer_name,
  street: a.street,
  street_secondary: a.street_secondary,
  city: a.city,
  region: a.region,
  postal_code: a.postal_code,
  iso_country: a.iso_country,
})

/** The business a profile describes: its legal name and registration, addresses and representatives. */
function presentProfile(p: { bundle: BundleRow; attachments: AttachmentRows } | undefined) {
  if (!p) return null
  const { bundle: b, attachments: a } = p
  const business = attributes(a.endUsers.find((e) => e.type === BUSINESS)?.attributes ?? '{}')
  return {
    sid: b.sid,
    account_sid: b.account_sid,
    friendly_name: b.friendly_name,
    status: b.status,
    valid_until: toV1Date(b.valid_until),
    contact_email: b.email,
    legal_name: text(business.business_name),
    registration_number: text(business.business_registration_number),
    registration_type: text(business.business_registration_identifier),
    business_type: text(business.business_type),
    website_url: text(business.website_url),
    addresses: a.addresses.map(presentPostal),
    authorized_representatives: a.endUsers
      .filter((e) => REPRESENTATIVES.includes(e.type))
      .sort((x, y) => x.type.localeCompare(y.type))
      .map((e) => {
        const r = attributes(e.attributes)
        return {
          first_name: text(r.first_name),
          last_name: text(r.last_name),
          business_title: text(r.business_title),
          job_position: text(r.job_position),
          email: text(r.email),
          phone_number: text(r.phone_number),
        }
      }),
  }
}

const presentTrustProduct = (b: BundleRow | undefined) =>
  b ? { sid: b.sid, friendly_name: b.friendly_name, status: b.status, valid_until: toV1Date(b.valid_until) } : null

/** The calling number as held now; a hosted one with its order (the LOA's fields) and authorization document. */
function presentNumber(base: string, n: TracedNumber | undefined, recorded: string | null) {
  if (!n) return null
  const h = n.hosted
  return {
    phone_number: `+${n.tn}`,
    origin_as_recorded: recorded,
    held: n.held
      ? {
          sid: n.held.sid,
          account_sid: n.held.account_sid,
          origin: n.held.origin,
          date_created: toV1Date(n.held.date_created),
        }
      : null,
    hosted_number_order: h ? presentOrder(base, h.order) : null,
    loa_address: h?.address ? presentPostal(h.address) : null,
    authorization_document: h?.document ? presentDocument(base, h.document, h.documentOrders) : null,
  }
}

/** The decision as the newest signed record kept it. */
function presentDecision(f: TraceFound) {
  const r = f.records[0]
  if (!r) return null
  return {
    attest: r.attest,
    rule: r.rule,
    reasons: jsonList(r.reasons),
    profile_sid: r.profile_sid,
    trust_product_sid: r.trust_product_sid,
    number_origin: r.origin,
  }
}

/** What an answer says when nothing was recorded, or the origid is no account's. */
function noteOf(f: TraceFound): string | null {
  if (f.records.length > 0) return null
  if (!f.account) return 'no call record was found, and no account of this platform has this origid'
  return `no call record was found (retention passed, recording was off, or the call was not made in the time searched): the origid is account ${f.account.sid}'s`
}

/** The body of POST /admin/v1/traceback. */
export function presentTraceback(base: string, a: TraceAnswer) {
  if (a.verdict === 'not-ours') return { signed_by_this_platform: false as const, reason: a.reason }
  const s = a.signature
  return {
    signed_by_this_platform: a.signedByUs,
    found: a.records.length > 0,
    note: noteOf(a),
    signature: s
      ? {
          certificate_sid: s.certificate.id,
          certificate_status: s.certificate.status,
          spc: s.certificate.spc,
          x5u: s.header.x5u,
          our_x5u: x5uFor(base, s.certificate.id),
          identity_hash: s.identityHash,
        }
      : null,
    claims: a.claims
      ? {
          ppt: a.claims.ppt,
          attest: a.claims.attest ?? null,
          orig: a.claims.orig,
          dest: [...a.claims.dest],
          iat: a.claims.iat,
          origid: a.claims.origid ?? null,
          div: a.claims.div ?? null,
        }
      : null,
    searched: a.window,
    calls: a.records.map((r) => presentCall(r, `${base}/admin/v1/calls`)),
    account: presentAccount(a.account),
    parent_account: presentAccount(a.parent),
    business_profile: presentProfile(a.profile),
    trust_product: presentTrustProduct(a.trustProduct),
    number: presentNumber(base, a.number, a.records[0]?.origin ?? null),
    decision: presentDecision(a),
  }
}
