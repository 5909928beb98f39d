/**
 * The STI certificate profile (ATIS-1000080 §6.4.1 v003-v005, US SHAKEN CP 1.1-1.4) as named
 * findings, after the checks of martinisecurity/zlint `v3/lints/shaken` (see the spec's §4).
 * Rules depending on a document version apply to certificates whose notBefore falls after
 * that version's effective date (publication + 90 days, as zlint dates them).
 * Strict mode reports every deviation as an error; lenient mode keeps only what breaks
 * SHAKEN cryptography (version, algorithm, key) as errors and downgrades the rest to warnings,
 * so a verifier can accept test PKIs such as libstirshaken's.
 */
import {
  certFacts,
  decode,
  dnValues,
  extensionsOf,
  OID,
  type CertFacts,
  type CertInput,
  type DnAttribute,
} from './cert-facts.js'
import { decodeTnAuthList, spcsOf, type TnAuthEntry } from './tn-auth-list.js'

/** The SHAKEN certificate policy OIDs (US SHAKEN CP 1.1, 1.2, 1.3, 1.4). */
const SHAKEN_POLICY_OIDS: readonly string[] = Object.freeze(
  ['1.1', '1.2', '1.3', '1.4'].map((v) => `2.16.840.1.114569.1.${v}`),
)
/** The policy new certificates carry (US SHAKEN CP 1.3). */
export const SHAKEN_CP_1_3 = '2.16.840.1.114569.1.1.3'

/** Effective dates of the profile versions (publication + 90 days; CP 1.3: + 145 days). */
const PROFILE_DATES = Object.freeze({
  atisV004: new Date('2022-01-16T00:00:00Z'),
  atisV005: new Date('2023-03-12T00:00:00Z'),
  cp13: new Date('2022-01-10T00:00:00Z'),
  cp13Ca: new Date('2021-08-18T00:00:00Z'),
  cp14: new Date('2023-09-04T00:00:00Z'),
})

type Role = 'ee' | 'intermediate' | 'root'
type Severity = 'error' | 'warning'

/** One named deviation from the profile. */
export interface Finding {
  readonly id: string
  readonly severity: Severity
  readonly message: string
}

export interface LintOptions {
  /** Report every deviation as an error (default false). */
  readonly strict?: boolean
  /** Override the role read from Basic Constraints and self-signature. */
  readonly role?: Role
}

export interface LintReport {
  readonly role: Role
  readonly findings: readonly Finding[]
  /** The SPC of a well-formed single-SPC TNAuthList. */
  readonly spc?: string
  /** True when no finding is an error. */
  readonly ok: boolean
}

// What breaks signing or verification itself stays an error even in lenient mode.
const HARD: ReadonlySet<string> = new Set([
  'version',
  'signature_algorithm',
  'public_key_algorithm',
  'not_a_certificate',
])
// Advisory in every mode: the good zlint samples and many production certificates lack it.
const ADVISORY: ReadonlySet<string> = new Set(['crl_issuer_missing'])

const ALLOWED_EXTENSIONS: ReadonlySet<string> = new Set([
  OID.keyUsage,
  OID.basicConstraints,
  OID.certificatePolicies,
  OID.subjectKeyIdentifier,
  OID.authorityKeyIdentifier,
  OID.crlDistributionPoints,
  OID.tnAuthList,
])
const ALLOWED_RDNS: ReadonlySet<string> = new Set([OID.c, OID.cn, OID.o, OID.ou, OID.l, OID.st, OID.serialNumber])
const KU = { digitalSignature: 1, keyCertSign: 32, cRLSign: 64 } as const

interface Ctx {
  readonly f: CertFacts
  readonly role: Role
  readonly out: Array<[string, string]>
}
type Rule = (c: Ctx) => void
const add = (c: Ctx, id: string, message: string) => {
  c.out.push([id, message])
}
const after = (c: Ctx, d: Date) => c.f.notBefore >= d || (d === PROFILE_DATES.cp14 && claimsCp14(c.f))

/** A certificate asserting the CP 1.4 policy OID is judged by CP 1.4 whatever its date. */
function claimsCp14(f: CertFacts): boolean {
  const cp = extensionsOf(f, OID.certificatePolicies)[0]
  try {
    return cp ? decode.policies(cp.value).includes('2.16.840.1.114569.1.1.4') : false
  } catch {
    return false
  }
}

/** Lints one certificate (PEM, DER or Node certificate) against the STI profile. */
export function lintCertificate(input: CertInput, opts: LintOptions = {}): LintReport {
  let f: CertFacts
  try {
    f = certFacts(input)
  } catch (e) {
    return {
      role: opts.role ?? 'ee',
      ok: false,
      findings: [{ id: 'not_a_certificate', severity: 'error', message: (e as Error).message }],
    }
  }
  const role = opts.role ?? roleOf(f)
  const c: Ctx = { f, role, out: [] }
  for (const rule of RULES) rule(c)
  const findings = c.out.map(
    ([id, message]): Finding => ({
      id,
      message,
      severity: ADVISORY.has(id) ? 'warning' : opts.strict || HARD.has(id) ? 'error' : 'warning',
    }),
  )
  return { role, findings, spc: spcOf(f), ok: findings.every((x) => x.severity !== 'error') }
}

/** EE unless Basic Constraints says CA; a CA that signed itself is a root. */
function roleOf(f: CertFacts): Role {
  const bc = extensionsOf(f, OID.basicConstraints)[0]
  let ca = false
  try {
    ca = bc ? decode.basicConstraints(bc.value).cA : false
  } catch {
    ca = false
  }
  return !ca ? 'ee' : f.selfSigned ? 'root' : 'intermediate'
}

function tnEntries(f: CertFacts): TnAuthEntry[] | undefined {
  const ext = extensionsOf(f, OID.tnAuthList)[0]
  if (!ext) return undefined
  try {
    return decodeTnAuthList(ext.value)
  } catch {
    return undefined
  }
}

function spcOf(f: CertFacts): string | undefined {
  const e = tnEntries(f)
  return e && e.length === 1 && e[0]!.type === 'spc' ? e[0]!.spc : undefined
}

const basics: Rule = (c) => {
  if (c.f.version !== 2) add(c, 'version', 'must be an X.509 v3 certificate')
  const s = c.f.serial
  if (s.length > 0 && (s[0]! & 0x80) !== 0) add(c, 'serial_number', 'serial number must be positive')
  else {
    const magnitude = s[0] === 0 ? s.length - 1 : s.length
    if (magnitude < 8) add(c, 'serial_number', 'serial number must carry at least 64 bits')
  }
  // CP 1.4 lets roots use P-384/SHA-384; every other certificate is P-256/SHA-256 (ATIS-1000080 §6.4.1).
  const p384ok = c.role === 'root' && after(c, PROFILE_DATES.cp14)
  const sigOk = c.f.signatureAlgorithm === OID.ecdsaSha256 || (p384ok && c.f.signatureAlgorithm === OID.ecdsaSha384)
  if (!sigOk) add(c, 'signature_algorithm', `signature algorithm ${c.f.signatureAlgorithm} is not ecdsa-with-SHA256`)
  const keyOk = c.f.keyType === 'ec' && (c.f.curve === 'prime256v1' || (p384ok && c.f.curve === 'secp384r1'))
  if (!keyOk)
    add(c, 'public_key_algorithm', `public key ${c.f.keyType}${c.f.curve ? ' ' + c.f.curve : ''} is not ECDSA P-256`)
}

function dnRule(c: Ctx, attrs: readonly DnAttribute[], who: 'subject' | 'issuer') {
  const one = (type: string, name: string, needed: boolean) => {
    const n = dnValues(attrs, type).length
    if (n > 1 || (needed && n === 0)) add(c, `${who}_${name}`, `${who} DN must have exactly one ${name.toUpperCase()}`)
  }
  one(OID.cn, 'cn', true)
  one(OID.c, 'c', true)
  one(OID.o, 'o', after(c, PROFILE_DATES.atisV004))
  const country = dnValues(attrs, OID.c)[0]
  if (country !== undefined && country !== 'US' && after(c, PROFILE_DATES.cp14))
    add(c, `${who}_c`, `${who} C must be US (CP 1.4)`)
}

const subject: Rule = (c) => {
  dnRule(c, c.f.subject, 'subject')
  dnRule(c, c.f.issuer, 'issuer')
  if (c.f.subject.some((a) => !ALLOWED_RDNS.has(a.type)))
    add(c, 'subject_rdn_unknown', 'subject DN has attributes other than C, ST, L, O, OU, CN, serialNumber')
  const cn = dnValues(c.f.subject, OID.cn)[0]
  if (c.role !== 'ee') {
    if (cn !== undefined && !/SHAKEN/.test(cn)) add(c, 'subject_cn_format', 'CA common name must contain "SHAKEN"')
    return
  }
  const spc = spcOf(c.f)
  if (
    cn !== undefined &&
    after(c, PROFILE_DATES.atisV004) &&
    (spc === undefined ? !/^SHAKEN \S+$/.test(cn) : cn !== `SHAKEN ${spc}`)
  ) {
    add(c, 'subject_cn_format', `common name "${cn}" must be "SHAKEN <SPC>"${spc ? ` ("SHAKEN ${spc}")` : ''}`)
  }
  const sn = dnValues(c.f.subject, OID.serialNumber).length
  const cp13 = after(c, PROFILE_DATES.cp13) && !after(c, PROFILE_DATES.cp14)
  if (sn > 1 || (cp13 && sn !== 1))
    add(c, 'subject_serial_number', 'subject DN must have exactly one serialNumber (CP 1.3)')
}

const extensions: Rule = (c) => {
  const seen = new Set<string>()
  for (const e of c.f.extensions) {
    if (!ALLOWED_EXTENSIONS.has(e.oid)) add(c, 'extension_unknown', `extension ${e.oid} is not allowed by the profile`)
    if (seen.has(e.oid)) add(c, 'extension_duplicate', `extension ${e.oid} appears twice`)
    seen.add(e.oid)
  }
}

const basicConstraints: Rule = (c) => {
  const bc = extensionsOf(c.f, OID.basicConstraints)[0]
  if (!bc) return add(c, 'basic_constraints_missing', 'Basic Constraints must be present')
  if (!bc.critical) add(c, 'basic_constraints_not_critical', 'Basic Constraints must be critical')
}

const keyUsage: Rule = (c) => {
  const ku = extensionsOf(c.f, OID.keyUsage)[0]
  if (!ku) return add(c, 'key_usage_missing', 'Key Usage must be present')
  if (!ku.critical) add(c, 'key_usage_not_critical', 'Key Usage must be critical')
  let bits: number
  try {
    bits = decode.keyUsage(ku.value)
  } catch {
    return add(c, 'key_usage_invalid', 'Key Usage does not decode')
  }
  if (c.role === 'ee') {
    if (bits !== KU.digitalSignature) add(c, 'key_usage_ee', 'end-entity Key Usage must be digitalSignature only')
    return
  }
  if ((bits & KU.keyCertSign) === 0 || (bits & ~(KU.keyCertSign | KU.digitalSignature | KU.cRLSign)) !== 0) {
    add(c, 'key_usage_ca', 'CA Key Usage must be keyCertSign, optionally with digitalSignature and cRLSign')
  }
  // CP 1.3: the STI-PA maintains the only CRL, so CAs may not sign CRLs (lifted by CP 1.4).
  if ((bits & KU.cRLSign) !== 0 && after(c, PROFILE_DATES.cp13Ca) && !after(c, PROFILE_DATES.cp14)) {
    add(c, 'key_usage_ca_crl_sign', 'CA Key Usage must not include cRLSign (CP 1.3: the STI-PA publishes the CRL)')
  }
}

const keyIds: Rule = (c) => {
  const ski = extensionsOf(c.f, OID.subjectKeyIdentifier)[0]
  let skiHex: string | undefined
  if (!ski) add(c, 'ski_missing', 'Subject Key Identifier must be present')
  else {
    try {
      skiHex = decode.ski(ski.value)
    } catch {
      skiHex = undefined
    }
    if (skiHex?.length !== 40) add(c, 'ski_size', 'Subject Key Identifier must be a 160-bit SHA-1 hash')
  }
  const aki = extensionsOf(c.f, OID.authorityKeyIdentifier)[0]
  if (c.role !== 'root') {
    if (!aki) add(c, 'aki_missing', 'Authority Key Identifier must be present')
    return
  }
  let akiHex: string | undefined
  try {
    akiHex = aki ? decode.aki(aki.value) : undefined
  } catch {
    akiHex = 'bad'
  }
  if (aki && akiHex !== (skiHex ?? c.f.keySha1))
    add(c, 'root_aki_mismatch', "a root's Authority Key Identifier must equal its Subject Key Identifier")
}

const policies: Rule = (c) => {
  const cp = extensionsOf(c.f, OID.certificatePolicies)[0]
  if (c.role === 'root') {
    if (cp) add(c, 'root_certificate_policies', 'a root must not carry Certificate Policies')
    return
  }
  if (!cp) return add(c, 'certificate_policies_missing', 'Certificate Policies must be present')
  if (cp.critical) add(c, 'certificate_policies_critical', 'Certificate Policies must not be critical')
  let oids: string[]
  try {
    oids = decode.policies(cp.value)
  } catch {
    return add(c, 'certificate_policies_invalid', 'Certificate Policies do not decode')
  }
  if (oids.length !== 1) add(c, 'certificate_policies_count', `exactly one policy is allowed, found ${oids.length}`)
  else if (!SHAKEN_POLICY_OIDS.includes(oids[0]!))
    add(c, 'certificate_policies_oid', `policy ${oids[0]} is not a SHAKEN policy`)
}

const crlDp: Rule = (c) => {
  const ext = extensionsOf(c.f, OID.crlDistributionPoints)[0]
  if (c.role === 'root') {
    if (ext) add(c, 'root_crl_distribution_points', 'a root must not carry CRL Distribution Points')
    return
  }
  if (!ext) return add(c, 'crl_distribution_points_missing', 'CRL Distribution Points must be present')
  let dps: ReturnType<typeof decode.crlDistributionPoints>
  try {
    dps = decode.crlDistributionPoints(ext.value)
  } catch {
    return add(c, 'crl_distribution_points_invalid', 'CRL Distribution Points do not decode')
  }
  const names = dps.flatMap((dp) => dp.distributionPoint?.fullName ?? [])
  if (dps.length !== 1 || names.length !== 1)
    return add(c, 'crl_distribution_point_count', 'exactly one distribution point with one URI is allowed')
  const uri = names[0]!.uniformResourceIdentifier
  if (!uri || !/^https?:\/\//i.test(uri))
    add(c, 'crl_distribution_point_url', `the CRL must be at an HTTP(S) URL, found ${uri ?? 'a non-URI name'}`)
  if (!dps[0]!.cRLIssuer?.length)
    add(c, 'crl_issuer_missing', 'the distribution point should name the cRLIssuer (ATIS-1000080 v004)')
}

const tnAuthList: Rule = (c) => {
  const exts = extensionsOf(c.f, OID.tnAuthList)
  if (c.role !== 'ee') {
    if (exts.length) add(c, 'tn_auth_list_ca', 'CA certificates must not carry TNAuthList')
    return
  }
  const ext = exts[0]
  if (!ext) return add(c, 'tn_auth_list_missing', 'TNAuthList must be present')
  if (ext.critical) add(c, 'tn_auth_list_critical', 'TNAuthList must not be critical')
  const entries = tnEntries(c.f)
  if (!entries) return add(c, 'tn_auth_list_invalid', 'TNAuthList does not decode as RFC 8226 TNAuthorizationList')
  if (entries.length === 0) return add(c, 'tn_auth_list_empty', 'TNAuthList is empty')
  if (entries.length > 1) add(c, 'tn_auth_list_count', 'TNAuthList must hold exactly one entry')
  const spcs = spcsOf(entries)
  if (spcs.length === 0) return add(c, 'tn_auth_list_spc', 'TNAuthList must hold a Service Provider Code (not TNs)')
  for (const s of spcs)
    if (!/^[A-Z0-9]+$/.test(s)) add(c, 'tn_auth_list_spc_format', `SPC "${s}" must be one or more of A-Z, 0-9`)
}

const RULES: readonly Rule[] = [
  basics,
  subject,
  extensions,
  basicConstraints,
  keyUsage,
  keyIds,
  policies,
  crlDp,
  tnAuthList,
]
