/**
 * The automated checks of a Branded Calls or CNAM trust product (docs/branding.md), shown to
 * the reviewer with their evidence like the profile checks: the name against the business's
 * legal name or a DBA (with the edit distance), no look-alike of another account's approved
 * brand, the characters of the name, call reasons and CNAM, the logo as fetched and inspected,
 * and the product's numbers on its SHAKEN/STIR trust product. Pure: the facts are gathered by
 * src/vetting/facts.ts and the logo fetched by src/vetting/logo-fetch.ts.
 */
import { POLICY } from './policy-sids.js'
import type { CheckResult } from './profile-checks.js'
import type { LogoInspection } from './brand-logo.js'
import { listValue } from './evaluation-fields.js'
import {
  CALL_REASON_MAX,
  DISPLAY_NAME_MAX,
  cnamProblem,
  confusable,
  displayTextProblem,
  editDistance,
  normaliseName,
} from './brand-names.js'

/** A logo as fetched for a check: its inspection, or why it could not be fetched. */
export type LogoEvidence =
  | {
      readonly url: string
      readonly ok: true
      readonly contentType: string
      readonly inspection: LogoInspection
      /** The bytes judged (and pinned, at an approval). */
      readonly body: Buffer
    }
  | { readonly url: string; readonly ok: false; readonly reason: string }

/** An approved brand of another account (approved_brands), for the look-alike check. */
interface OtherBrand {
  readonly bundle_sid: string
  readonly account_sid: string
  readonly display_name: string
}

/** What the branding checks look at besides the attachments. */
export interface BrandFacts {
  /** Approved brands of every other account. */
  readonly others: readonly OtherBrand[]
  /** Logos fetched for this check, by URL (none fetched: the logo check says so). */
  readonly logos?: ReadonlyMap<string, LogoEvidence>
  /** The product's numbers (E.164) that are not on its linked SHAKEN/STIR trust product. */
  readonly numbersOffShaken: readonly string[]
  /** How many numbers the product has. */
  readonly numbers: number
}

/** The branding facts a check needs from the bundle: its policy, end users and linked bundles. */
interface BrandBundle {
  readonly policy_sid: string
  readonly endUsers: readonly { readonly type: string; readonly attributes: Readonly<Record<string, unknown>> }[]
  readonly linked: readonly {
    readonly sid: string
    readonly business_name?: string | null
    readonly policy_sid: string
  }[]
}

/** The branding end user's fields, whichever product it is. */
export interface BrandText {
  readonly kind: 'branded_calls' | 'cnam'
  readonly name: string
  readonly logoUrl: string | null
  readonly reasons: readonly string[]
  readonly dba: readonly string[]
}

const text = (v: unknown) => (typeof v === 'string' ? v : '')

/** The brand a branding product asks for, read from its end user (null: none attached). */
export function brandText(b: Pick<BrandBundle, 'policy_sid' | 'endUsers'>): BrandText | null {
  const cnam = b.policy_sid === POLICY.CNAM
  const eu = b.endUsers.find((e) => e.type === (cnam ? 'cnam_information' : 'branded_calls_information'))
  if (!eu) return null
  const a = eu.attributes
  const logo = text(a.branded_calls_logo_url).trim()
  return {
    kind: cnam ? 'cnam' : 'branded_calls',
    name: text(cnam ? a.cnam_display_name : a.branded_calls_display_name),
    logoUrl: cnam || logo === '' ? null : logo,
    reasons: cnam ? [] : listValue(a.branded_calls_call_reason),
    dba: listValue(a.doing_business_as),
  }
}

const result = (name: string, passed: boolean, evidence: string): CheckResult => ({ name, passed, evidence })

/** The legal name: the business_name of the linked customer profile. */
const legalName = (b: BrandBundle) =>
  b.linked.find((l) => l.policy_sid === POLICY.PRIMARY_PROFILE || l.policy_sid === POLICY.SECONDARY_PROFILE)
    ?.business_name ?? null

/** How close `name` is to `target`, normalised; a CNAM name may be the target cut at 15 characters. */
function compare(name: string, target: string, cnam: boolean) {
  const a = normaliseName(name)
  const b = normaliseName(target)
  const truncated = cnam && a.length >= 3 && b.replace(/ /g, '').startsWith(a.replace(/ /g, ''))
  return { a, b, distance: editDistance(a, b), truncated }
}

/** The display name (or CNAM name) is the business's legal name or a declared DBA, normalised. */
function checkBrandNameMatches(b: BrandBundle, t: BrandText): CheckResult {
  const name = 'brand_name_matches_business'
  const legal = legalName(b)
  const targets = [
    ...(legal ? [{ what: 'legal name', value: legal }] : []),
    ...t.dba.map((d) => ({ what: 'DBA', value: d })),
  ]
  if (targets.length === 0)
    return result(name, false, 'no linked customer profile with a business name to compare with')
  const scored = targets
    .map((x) => ({ ...x, ...compare(t.name, x.value, t.kind === 'cnam') }))
    .sort((p, q) => p.distance - q.distance)
  const hit = scored.find((s) => s.distance === 0 || s.truncated)
  const shown = scored
    .map(
      (s) => `${s.what} "${s.value}" (normalised "${s.b}", distance ${s.distance}${s.truncated ? ', truncated' : ''})`,
    )
    .join('; ')
  const dbaNote = hit?.what === 'DBA' ? '; the DBA is declared by the customer: confirm it in the registry' : ''
  return hit
    ? result(name, true, `"${t.name}" (normalised "${hit.a}") matches the ${hit.what}: ${shown}${dbaNote}`)
    : result(name, false, `"${t.name}" (normalised "${scored[0]!.a}") matches neither: ${shown}`)
}

/** No other account already brands with a confusingly similar approved name. */
function checkBrandUnique(t: BrandText, others: readonly OtherBrand[]): CheckResult {
  const name = 'brand_name_not_confusable'
  const clashes = others.map((o) => ({ ...o, ...confusable(t.name, o.display_name) })).filter((o) => o.similar)
  return clashes.length
    ? result(
        name,
        false,
        `"${t.name}" looks like approved ${clashes.map((c) => `"${c.display_name}" of ${c.bundle_sid} (account ${c.account_sid}, distance ${c.distance} after folding look-alikes)`).join(', ')}`,
      )
    : result(name, true, `"${t.name}" looks like none of the ${others.length} brands approved on other accounts`)
}

/** The characters and lengths: display name and call reasons, or the CNAM caller name. */
function checkBrandCharacters(t: BrandText): CheckResult {
  if (t.kind === 'cnam') {
    const p = cnamProblem(t.name)
    return p
      ? result('cnam_characters', false, `"${t.name}": ${p}`)
      : result('cnam_characters', true, `"${t.name}" is ${t.name.length} characters CNAM providers store`)
  }
  const problems = [
    displayTextProblem(t.name, DISPLAY_NAME_MAX),
    ...t.reasons.map((r) => displayTextProblem(r, CALL_REASON_MAX, `call reason "${r}"`)),
  ].filter((p): p is string => p !== null)
  return problems.length
    ? result('brand_text', false, problems.join('; '))
    : result(
        'brand_text',
        true,
        `display name of ${[...t.name].length} characters; ${t.reasons.length} call reason${t.reasons.length === 1 ? '' : 's'}${t.reasons.length ? ` (${t.reasons.join(', ')})` : ''}`,
      )
}

/** The logo, as fetched through the guarded fetcher for this check: type, size, dimensions, digest. */
function checkBrandLogo(t: BrandText, logos: ReadonlyMap<string, LogoEvidence> | undefined): CheckResult {
  const name = 'brand_logo'
  if (!t.logoUrl) return result(name, true, 'no logo (icn is optional): calls show the name only')
  const e = logos?.get(t.logoUrl)
  if (!e) return result(name, false, `${t.logoUrl} was not fetched for this check`)
  if (!e.ok) return result(name, false, `${t.logoUrl} could not be fetched: ${e.reason}`)
  const i = e.inspection
  const what = `${(i.type ?? 'unknown').toUpperCase()} ${i.width ?? '?'}×${i.height ?? '?'} px, ${i.bytes} bytes, ${i.digest}`
  return i.problems.length
    ? result(name, false, `${t.logoUrl}: ${i.problems.join('; ')} (${what})`)
    : result(name, true, `${t.logoUrl}: ${what}`)
}

/** Every number of the product is on its SHAKEN/STIR trust product (the calls it signs A). */
function checkBrandNumbers(f: Pick<BrandFacts, 'numbers' | 'numbersOffShaken'>): CheckResult {
  const name = 'brand_numbers_on_shaken_stir'
  if (f.numbersOffShaken.length)
    return result(
      name,
      false,
      `${f.numbersOffShaken.join(', ')} ${f.numbersOffShaken.length === 1 ? 'is' : 'are'} not on the linked SHAKEN/STIR Trust Product: calls from ${f.numbersOffShaken.length === 1 ? 'it' : 'them'} are never signed A, so never branded`,
    )
  return result(
    name,
    true,
    f.numbers
      ? `all ${f.numbers} number${f.numbers === 1 ? ' is' : 's are'} on the linked SHAKEN/STIR Trust Product`
      : 'no numbers assigned yet (numbers assigned later must be on the linked SHAKEN/STIR Trust Product)',
  )
}

/** The branding checks of a bundle, in the order the reviewer sees them. */
export function brandChecks(b: BrandBundle, f: BrandFacts | undefined): CheckResult[] {
  const t = brandText(b)
  if (!t) return [result('brand_information', false, 'no branding end user is attached')]
  const out = [checkBrandNameMatches(b, t), checkBrandUnique(t, f?.others ?? []), checkBrandCharacters(t)]
  if (t.kind === 'branded_calls') out.push(checkBrandLogo(t, f?.logos))
  out.push(checkBrandNumbers(f ?? { numbers: 0, numbersOffShaken: [] }))
  return out
}
