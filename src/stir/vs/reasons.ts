/**
 * STI-VS outcomes: a closed list of snake_case reasons and the tables that map each to its SIP
 * response (RFC 8224 §6.2.2 codes 403/428/436/437/438), its ATIS-1000082 reason fields and its
 * verstat (3GPP TS 24.229). The tables are `Record<Reason, …>`, so a reason without a mapping
 * does not compile. The E-numbers are the rows of ATIS-1000074's error table (spec §5).
 */

/** Every outcome a verification can have. */
export const REASONS = [
  'passed',
  'identity_missing', // no Identity although policy requires one (RFC 8224 §6.2.2: 428)
  'request_stale', // E3: the request's `time` is outside the freshness window
  'identity_malformed', // the Identity value cannot be parsed at all
  'compact_form', // E4: `..sig` compact form; SHAKEN requires the full form (ATIS-1000074 §5.3.3)
  'identity_ppt_unsupported', // E5: Identity `ppt` parameter is not shaken
  'info_missing', // E6
  'info_malformed', // E7: not a URL, or not https
  'x5u_fetch_failed', // E8: network error, timeout, bad status, not PEM
  'x5u_forbidden', // E8: the guard refused the URL (scheme, port, private address…)
  'header_claim_missing', // E9: PASSporT header lacks ppt/typ/x5u/alg
  'header_malformed', // the PASSporT header is not a JSON object of strings
  'x5u_info_mismatch', // E10
  'typ_unsupported', // E11
  'alg_unsupported', // E12: alg other than ES256 (none, HS256…), in header or Identity param
  'ppt_unsupported', // E13: header ppt is not shaken
  'claims_invalid', // E14: payload unparsable or a claim missing / of the wrong type
  'attest_invalid', // E19: attest not A, B or C
  'cert_invalid', // the x5u body holds no parsable certificate
  'cert_untrusted', // E17: no path to a trust anchor
  'cert_expired', // E17
  'cert_not_yet_valid', // E17
  'cert_revoked', // E17: on the STI-PA CRL
  'cert_profile', // E17: ATIS-1000080 profile defect (strict mode), or no TNAuthList
  'cert_key_unsupported', // E17: leaf key is not EC P-256, so ES256 cannot apply
  'signature_invalid', // E18
  'iat_stale', // E15: iat outside ±freshness (past or future)
  'orig_mismatch', // E16
  'dest_mismatch', // E16
  'div_invalid', // RFC 8946: a div PASSporT the call's destination depends on is malformed, stale, not for this call, or its certificate fails
  'div_signature_invalid', // RFC 8946: that div PASSporT's signature does not verify
] as const

export type Reason = (typeof REASONS)[number]

/** verstat values (3GPP TS 24.229 §7.2A.20). */
export type Verstat = 'TN-Validation-Passed' | 'TN-Validation-Failed' | 'No-TN-Validation'

/** RFC 8224 §13.2 response codes and reason phrases. */
export const SIP_TEXT = {
  200: 'OK',
  403: 'Stale Date',
  428: 'Use Identity Header',
  436: 'Bad Identity Info',
  437: 'Unsupported Credential',
  438: 'Invalid Identity Header',
} as const

export type SipCode = keyof typeof SIP_TEXT

/** The SIP code each reason answers with (reject action) or carries in `Reason: STIR`. */
export const REASON_SIP: Readonly<Record<Reason, SipCode>> = {
  passed: 200,
  identity_missing: 428,
  request_stale: 403,
  identity_malformed: 438,
  compact_form: 438,
  identity_ppt_unsupported: 438,
  info_missing: 436,
  info_malformed: 436,
  x5u_fetch_failed: 436,
  x5u_forbidden: 436,
  header_claim_missing: 436,
  header_malformed: 438,
  x5u_info_mismatch: 436,
  typ_unsupported: 437,
  alg_unsupported: 437,
  ppt_unsupported: 438,
  claims_invalid: 438,
  attest_invalid: 438,
  cert_invalid: 436,
  cert_untrusted: 437,
  cert_expired: 437,
  cert_not_yet_valid: 437,
  cert_revoked: 437,
  cert_profile: 437,
  cert_key_unsupported: 437,
  signature_invalid: 438,
  iat_stale: 403,
  orig_mismatch: 438,
  dest_mismatch: 438,
  div_invalid: 438,
  div_signature_invalid: 438,
}

/**
 * verstat per reason. `TN-Validation-Failed` only where the PKI or signature check ran and
 * failed (E17, E18); format, freshness and mismatch problems give `No-TN-Validation` (spec §5).
 */
export const REASON_VERSTAT: Readonly<Record<Reason, Verstat>> = {
  passed: 'TN-Validation-Passed',
  identity_missing: 'No-TN-Validation',
  request_stale: 'No-TN-Validation',
  identity_malformed: 'No-TN-Validation',
  compact_form: 'No-TN-Validation',
  identity_ppt_unsupported: 'No-TN-Validation',
  info_missing: 'No-TN-Validation',
  info_malformed: 'No-TN-Validation',
  x5u_fetch_failed: 'No-TN-Validation',
  x5u_forbidden: 'No-TN-Validation',
  header_claim_missing: 'No-TN-Validation',
  header_malformed: 'No-TN-Validation',
  x5u_info_mismatch: 'No-TN-Validation',
  typ_unsupported: 'No-TN-Validation',
  alg_unsupported: 'No-TN-Validation',
  ppt_unsupported: 'No-TN-Validation',
  claims_invalid: 'No-TN-Validation',
  attest_invalid: 'No-TN-Validation',
  cert_invalid: 'No-TN-Validation',
  cert_untrusted: 'TN-Validation-Failed',
  cert_expired: 'TN-Validation-Failed',
  cert_not_yet_valid: 'TN-Validation-Failed',
  cert_revoked: 'TN-Validation-Failed',
  cert_profile: 'TN-Validation-Failed',
  cert_key_unsupported: 'TN-Validation-Failed',
  signature_invalid: 'TN-Validation-Failed',
  iat_stale: 'No-TN-Validation',
  orig_mismatch: 'No-TN-Validation',
  dest_mismatch: 'No-TN-Validation',
  div_invalid: 'No-TN-Validation',
  div_signature_invalid: 'TN-Validation-Failed',
}

/** ATIS-1000082 `reasondesc` per reason: what went wrong, for the operator reading logs. */
export const REASON_DESC: Readonly<Record<Reason, string>> = {
  passed: 'Verification passed',
  identity_missing: 'Identity header required by policy but absent',
  request_stale: 'Request time is outside the freshness window',
  identity_malformed: 'Identity header cannot be parsed',
  compact_form: 'Compact form PASSporT is not supported; SHAKEN requires the full form',
  identity_ppt_unsupported: "Identity 'ppt' parameter is not 'shaken'",
  info_missing: "Identity 'info' parameter is missing",
  info_malformed: "Identity 'info' parameter is not a valid https URI",
  x5u_fetch_failed: 'Failed to fetch the certificate from the info URI',
  x5u_forbidden: 'The info URI is not an allowed certificate location',
  header_claim_missing: "PASSporT header lacks one of 'alg', 'ppt', 'typ', 'x5u'",
  header_malformed: 'PASSporT header is not valid JSON',
  x5u_info_mismatch: "PASSporT 'x5u' does not match the Identity 'info' parameter",
  typ_unsupported: "PASSporT 'typ' is not 'passport'",
  alg_unsupported: "PASSporT 'alg' is not 'ES256'",
  ppt_unsupported: "PASSporT 'ppt' is not 'shaken'",
  claims_invalid: 'PASSporT claims are missing or malformed',
  attest_invalid: "PASSporT 'attest' is not A, B or C",
  cert_invalid: 'The info URI did not return a usable certificate',
  cert_untrusted: 'Certificate does not chain to a trusted STI-CA',
  cert_expired: 'Certificate (or one in its chain) has expired',
  cert_not_yet_valid: 'Certificate (or one in its chain) is not yet valid',
  cert_revoked: 'Certificate is revoked',
  cert_profile: 'Certificate does not follow the SHAKEN certificate profile',
  cert_key_unsupported: 'Certificate key is not an EC P-256 key',
  signature_invalid: 'PASSporT signature validation failed',
  iat_stale: "PASSporT 'iat' is outside the freshness window",
  orig_mismatch: "PASSporT 'orig' does not match the calling number",
  dest_mismatch: "PASSporT 'dest' does not match the called number",
  div_invalid: 'Diversion PASSporT is invalid or does not link the call to the called number',
  div_signature_invalid: 'Diversion PASSporT signature validation failed',
}
