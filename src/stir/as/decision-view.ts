import type { Decision } from '../../domain/attestation.js'

/** The JSON shape of an explained decision, the same from the API and the CLI. */
export function presentDecision(accountSid: string, from: string, to: string, d: Decision) {
  return {
    account_sid: accountSid,
    from,
    to,
    signed: d.attest !== undefined,
    level: d.attest ?? null,
    rule: d.rule,
    reasons: d.reasons,
    bundles: { customer_profile_sid: d.profileSid ?? null, trust_product_sid: d.trustProductSid ?? null },
    missing_for_a: d.missingForA,
    missing_for_b: d.missingForB,
    origid: d.origid,
    branding: presentBranding(d),
  }
}

/** The Rich Call Data an A call would carry (RFC 9795), or null, and why. */
function presentBranding(d: Decision) {
  const g = d.branding?.rcd
  return {
    rcd: g ? { trust_product_sid: g.productSid, nam: g.nam, icn: g.icn ?? null, call_reasons: g.callReasons } : null,
    reasons: d.branding?.reasons ?? [],
  }
}
