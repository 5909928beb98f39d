import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { lintCertificate } from './profile-lint.js'
import { FIXTURES } from '../../../test/helpers/fixtures.js'

const ZLINT = path.join(FIXTURES, 'zlint-shaken')
const LIBSS = path.join(FIXTURES, 'libstirshaken')
const read = (dir: string, f: string) => fs.readFileSync(path.join(dir, f), 'utf8')
const errorsOf = (f: string) =>
  lintCertificate(read(ZLINT, f), { strict: true })
    .findings.filter((x) => x.severity === 'error')
    .map((x) => x.id)

/** Fully good samples: no error at all. */
const GOOD = ['shakenCert.pem', 'shakenCa.pem', 'shakenRoot.pem', 'shakenRootNoAKI.pem']

/**
 * zlint's per-CP-version samples carry only Basic Constraints and the policy OID (no KU,
 * SKI/AKI, CRLDP or TNAuthList), so they are good only for the version-dependent checks.
 */
const CP_VERSION_GOOD = ['shakenCP1_1Cert.pem', 'shakenCP1_2Cert.pem', 'shakenCP1_3Cert.pem', 'shakenCP1_4Cert.pem']
const VERSION_DEPENDENT = [
  'signature_algorithm',
  'public_key_algorithm',
  'subject_serial_number',
  'certificate_policies_oid',
  'certificate_policies_count',
  'certificate_policies_missing',
  'key_usage_ca_crl_sign',
]

/** Samples zlint uses as the passing case of one lint: that finding must be absent. */
const PASSES: Record<string, readonly string[]> = {
  'shakenCaKeyUsageCertSignCRLSignDigSign.pem': ['key_usage_ca'],
  'shakenCaKeyUsageCertSignDigSign.pem': ['key_usage_ca', 'key_usage_ca_crl_sign'],
  'shakenCaSubject.pem': ['subject_cn', 'subject_c', 'subject_o', 'subject_cn_format'],
  'shakenSubject.pem': ['subject_cn', 'subject_c', 'subject_o', 'subject_cn_format', 'subject_serial_number'],
}

/**
 * zlint's CRL reachability lint downloads the CRL; stirhub's lint is offline (the CRL is
 * fetched on a schedule by the worker), so these two have no offline-detectable defect.
 */
const NETWORK_ONLY = ['shakenCRLPointGet.pem', 'shakenCRLPointUnreachable.pem']

/** Every other file: its defect, by finding id. */
const DEFECTS: Record<string, string> = {
  'shakenBasicConstNo.pem': 'basic_constraints_missing',
  'shakenBasicConstNotCritical.pem': 'basic_constraints_not_critical',
  'shakenCP1_4WSHA1.pem': 'signature_algorithm',
  'shakenCP1_4WSHA384.pem': 'signature_algorithm',
  'shakenCRLPointFile.pem': 'crl_distribution_point_url',
  'shakenCRLPointMultiple.pem': 'crl_distribution_point_count',
  'shakenCaCertPolicyCritical.pem': 'certificate_policies_critical',
  'shakenCaCertPolicyMultiple.pem': 'certificate_policies_count',
  'shakenCaCertPolicyNo.pem': 'certificate_policies_missing',
  'shakenCaEmpty.pem': 'key_usage_missing',
  'shakenCaExtOdd.pem': 'extension_unknown',
  'shakenCaIssuerWithoutC.pem': 'issuer_c',
  'shakenCaIssuerWithoutCN.pem': 'issuer_cn',
  'shakenCaIssuerWithoutO.pem': 'issuer_o',
  'shakenCaKeyAlgP384.pem': 'public_key_algorithm',
  'shakenCaKeyAlgRSA.pem': 'public_key_algorithm',
  'shakenCaKeyUsageOddFlag.pem': 'key_usage_ca',
  'shakenCaKeyUsageWCRL.pem': 'key_usage_ca_crl_sign',
  'shakenCaKeyUsageWithoutCertSign.pem': 'key_usage_ca',
  'shakenCaSerialLess64bit.pem': 'serial_number',
  'shakenCaSerialNegative.pem': 'serial_number',
  'shakenCaSigAlgSHA1.pem': 'signature_algorithm',
  'shakenCaSubjectCN.pem': 'subject_cn_format',
  'shakenCaSubjectWEmail.pem': 'subject_rdn_unknown',
  'shakenCaSubjectWithoutC.pem': 'subject_c',
  'shakenCaSubjectWithoutCN.pem': 'subject_cn',
  'shakenCaSubjectWithoutO.pem': 'subject_o',
  'shakenCaVersion2.pem': 'version',
  'shakenCertEmpty.pem': 'basic_constraints_missing',
  'shakenCertPolicyCritical.pem': 'certificate_policies_critical',
  'shakenCertPolicyIncorrect.pem': 'certificate_policies_oid',
  'shakenCertPolicyMultiple.pem': 'certificate_policies_count',
  'shakenCertPolicyNo.pem': 'certificate_policies_missing',
  'shakenCertV2.pem': 'version',
  'shakenExtOdd.pem': 'extension_unknown',
  'shakenIssuerWithoutC.pem': 'issuer_c',
  'shakenIssuerWithoutCN.pem': 'issuer_cn',
  'shakenIssuerWithoutO.pem': 'issuer_o',
  'shakenKeyAlgP384.pem': 'public_key_algorithm',
  'shakenKeyAlgRSA.pem': 'public_key_algorithm',
  'shakenKeyUsageNotCritical.pem': 'key_usage_not_critical',
  'shakenKeyUsageOdd.pem': 'key_usage_ee',
  'shakenRootAKIWrong.pem': 'root_aki_mismatch',
  'shakenRootCertPolicy.pem': 'root_certificate_policies',
  'shakenRootExtOdd.pem': 'extension_unknown',
  'shakenSerialNumberLess64bit.pem': 'serial_number',
  'shakenSerialNumberNegative.pem': 'serial_number',
  'shakenSerialNumberPadded.pem': 'serial_number',
  'shakenSigAlgSHA1.pem': 'signature_algorithm',
  'shakenSubjectAmbiguous.pem': 'subject_cn_format',
  'shakenSubjectCN.pem': 'subject_cn_format',
  'shakenSubjectWEmail.pem': 'subject_rdn_unknown',
  'shakenSubjectWSerialNumberMultiple.pem': 'subject_serial_number',
  'shakenSubjectWithoutC.pem': 'subject_c',
  'shakenSubjectWithoutCN.pem': 'subject_cn',
  'shakenSubjectWithoutO.pem': 'subject_o',
  'shakenSubjectWithoutSerialNumber.pem': 'subject_serial_number',
  'shakenTNAuthEmpty.pem': 'tn_auth_list_empty',
  'shakenTNAuthEmptyString.pem': 'tn_auth_list_spc_format',
  'shakenTNAuthMultiple.pem': 'tn_auth_list_count',
  'shakenTNAuthWithoutSPC.pem': 'tn_auth_list_spc',
}

describe('STI certificate profile lint on the zlint SHAKEN fixtures', () => {
  it('classifies every one of the 75 fixtures', () => {
    const files = fs
      .readdirSync(ZLINT)
      .filter((f) => f.endsWith('.pem'))
      .sort()
    assert.equal(files.length, 75)
    const known = new Set([
      ...GOOD,
      ...CP_VERSION_GOOD,
      ...Object.keys(PASSES),
      ...NETWORK_ONLY,
      ...Object.keys(DEFECTS),
    ])
    assert.deepEqual(
      files.filter((f) => !known.has(f)),
      [],
    )
  })
  for (const f of GOOD) it(`${f} has no error`, () => assert.deepEqual(errorsOf(f), []))
  for (const f of CP_VERSION_GOOD) {
    it(`${f} passes the policy-version checks`, () =>
      assert.deepEqual(
        errorsOf(f).filter((id) => VERSION_DEPENDENT.includes(id)),
        [],
      ))
  }
  for (const [f, absent] of Object.entries(PASSES)) {
    it(`${f} passes ${absent.join(', ')}`, () =>
      assert.deepEqual(
        errorsOf(f).filter((id) => absent.includes(id)),
        [],
      ))
  }
  for (const [f, id] of Object.entries(DEFECTS)) {
    it(`${f} -> ${id}`, () => assert.ok(errorsOf(f).includes(id), `${f}: got ${errorsOf(f).join(', ')}`))
  }
  it('the CRL issuer is advisory; roles come from Basic Constraints and self-signature', () => {
    const r = lintCertificate(read(ZLINT, 'shakenCert.pem'), { strict: true })
    assert.equal(r.role, 'ee')
    assert.equal(r.spc, '6628')
    assert.deepEqual(
      r.findings.map((x) => [x.id, x.severity]),
      [['crl_issuer_missing', 'warning']],
    )
    assert.equal(lintCertificate(read(ZLINT, 'shakenCa.pem')).role, 'intermediate')
    assert.equal(lintCertificate(read(ZLINT, 'shakenRoot.pem')).role, 'root')
  })
  it('refuses what is not a certificate', () => {
    const r = lintCertificate('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n')
    assert.equal(r.ok, false)
    assert.equal(r.findings[0]?.id, 'not_a_certificate')
  })
})

describe('libstirshaken sp.pem (non-ATIS profile)', () => {
  const pem = read(LIBSS, 'sp.pem')
  it('names each deviation in strict mode', () => {
    const r = lintCertificate(pem, { strict: true })
    assert.equal(r.ok, false)
    const ids = r.findings.map((x) => x.id)
    for (const id of [
      'tn_auth_list_invalid',
      'certificate_policies_missing',
      'crl_distribution_points_missing',
      'key_usage_missing',
      'serial_number',
    ]) {
      assert.ok(ids.includes(id), `missing ${id} in ${ids.join(', ')}`)
    }
    assert.equal(r.spc, undefined)
  })
  it('is accepted with warnings in lenient mode (P-256, ES256, v3)', () => {
    const r = lintCertificate(pem)
    assert.equal(r.ok, true)
    assert.ok(r.findings.length > 0 && r.findings.every((x) => x.severity === 'warning'))
  })
})
