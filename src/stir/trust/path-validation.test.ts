import { before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { X509Certificate } from 'node:crypto'
import { OctetString } from '@peculiar/asn1-schema'
import { Extension, Extensions } from '@peculiar/asn1-x509'
import { validatePath } from './path-validation.js'
import { trustStoreOf } from './trust-store.js'
import { buildTestPki, resignCertificate, type TestPki } from '../../../test/helpers/test-pki.js'

describe('path validation of certificates a CA signed with defects', () => {
  let pki: TestPki
  before(async () => {
    pki = await buildTestPki(new Date(), 'http://127.0.0.1:9')
  })
  const validate = (der: Buffer) =>
    validatePath(
      [new X509Certificate(der), new X509Certificate(pki.intermediate.pem)],
      trustStoreOf([new X509Certificate(pki.root.pem)]),
    )

  it('a malformed Certificate Policies extension: cert_invalid, not a throw', () => {
    const der = resignCertificate(
      new Uint8Array(pki.leaves.good.cert.rawData),
      (tbs) => {
        const exts = (tbs.extensions ?? []).filter((e) => e.extnID !== '2.5.29.32')
        // A SEQUENCE holding a [1] where PolicyInformation (a SEQUENCE starting with an OID) belongs.
        exts.push(
          new Extension({
            extnID: '2.5.29.32',
            critical: false,
            extnValue: new OctetString(new Uint8Array([0x30, 0x05, 0xa1, 0x03, 0x16, 0x01, 0x31])),
          }),
        )
        tbs.extensions = new Extensions(exts)
      },
      pki.intermediate.key,
    )
    const r = validate(der)
    assert.equal(r.ok, false)
    assert.equal(!r.ok && r.reason, 'cert_invalid')
  })

  it('a leaf key Node cannot decode: cert_key_unsupported, not a throw', () => {
    const der = resignCertificate(
      new Uint8Array(pki.leaves.good.cert.rawData),
      (tbs) => {
        tbs.subjectPublicKeyInfo.algorithm.algorithm = '1.2.3.4'
      },
      pki.intermediate.key,
    )
    const r = validate(der)
    assert.equal(!r.ok && r.reason, 'cert_key_unsupported')
  })
})
