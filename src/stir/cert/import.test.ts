import { before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { checkImport } from './import.js'
import { certFacts } from './cert-facts.js'
import { derToPem } from './chain.js'
import { AppError } from '../../domain/errors.js'
import { buildTestPki, resignCertificate, type TestPki } from '../../../test/helpers/test-pki.js'

describe('certificates whose public key does not decode', () => {
  let pki: TestPki
  let der: Buffer
  before(async () => {
    pki = await buildTestPki(new Date(), 'http://127.0.0.1:9')
    der = resignCertificate(
      new Uint8Array(pki.leaves.good.cert.rawData),
      (tbs) => {
        tbs.subjectPublicKeyInfo.algorithm.algorithm = '1.2.3.4'
      },
      pki.intermediate.key,
    )
  })

  it('certFacts throws its RangeError', () => {
    assert.throws(
      () => certFacts(der),
      (e) => e instanceof RangeError && /public key does not decode/.test(e.message),
    )
  })

  it('the import refuses the chain with the invalid-parameter error', () => {
    const key = pki.leaves.good.key.export({ type: 'pkcs8', format: 'pem' }) as string
    assert.throws(
      () => checkImport(derToPem(der) + pki.intermediate.pem, key),
      (e) => e instanceof AppError && e.key === 'INVALID_PARAM' && e.details?.param === 'chain',
    )
  })
})
