/**
 * Fuzz: PEM and DER, as strangers hand them to stirhub: x5u bodies (PEM chains a verifier
 * fetches), certificates and their extensions (TNAuthList above all), CRLs, and an imported
 * chain with its key. Two kinds of input: the text and bytes of real certificates mutated, and
 * certificates whose TBS was mutated and then signed again by the test STI-CA, so they pass the
 * signature checks and reach path validation, extension decoding and the profile lint. Each
 * function answers or throws only its documented error; the x5u cache never fails by a throw.
 * Counts: certificate parsing costs about a millisecond a case and a CA-signed mutant about
 * five (signing, parsing, path validation, the lint), so the properties share about 23,000
 * cases and the file stays near fifteen seconds; STIRHUB_FUZZ_RUNS scales them all.
 */
import { before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { X509Certificate } from 'node:crypto'
import fc from 'fast-check'
import { OctetString } from '@peculiar/asn1-schema'
import { Extension, Extensions, type TBSCertificate } from '@peculiar/asn1-x509'
import { buildTestPki, resignCertificate, type TestPki } from '../helpers/test-pki.js'
import { fuzzParams, mutatedFrom } from '../helpers/fuzz.js'
import { pemBlocks, parseChain, chainOrderProblem, derToPem } from '../../src/stir/cert/chain.js'
import { parsePemBody, MAX_CHAIN } from '../../src/stir/x5u/pem-body.js'
import { certFacts } from '../../src/stir/cert/cert-facts.js'
import { lintCertificate } from '../../src/stir/cert/profile-lint.js'
import {
  decodeTnAuthList,
  spcTnAuthList,
  encodeTnAuthList,
  TN_AUTH_LIST_OID,
} from '../../src/stir/cert/tn-auth-list.js'
import { checkImport } from '../../src/stir/cert/import.js'
import { AppError } from '../../src/domain/errors.js'
import { validatePath } from '../../src/stir/trust/path-validation.js'
import { trustStoreOf } from '../../src/stir/trust/trust-store.js'
import { CertCache } from '../../src/stir/x5u/cert-cache.js'
import { CrlStore } from '../../src/stir/trust/crl-store.js'

type ByteOp =
  | { k: 'flip'; at: number; bit: number }
  | { k: 'set'; at: number; v: number }
  | { k: 'cut'; at: number }
  | { k: 'insert'; at: number; bytes: Uint8Array }
  | { k: 'delete'; at: number; n: number }
  | { k: 'len'; at: number; v: number }

const byteOp: fc.Arbitrary<ByteOp> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({ k: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      k: fc.constant('set' as const),
      at: fc.nat(),
      v: fc.constantFrom(0, 0x7f, 0x80, 0x81, 0x82, 0x84, 0xff, 0x30, 0x04, 0x16, 0x0c, 0xa0),
    }),
  },
  fc.record({ k: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({ k: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
  fc.record({ k: fc.constant('delete' as const), at: fc.nat(), n: fc.integer({ min: 1, max: 8 }) }),
  // A DER length octet: the first bytes of a TLV (where most lengths live) get a long-form or huge length.
  fc.record({
    k: fc.constant('len' as const),
    at: fc.integer({ min: 0, max: 12 }),
    v: fc.constantFrom(0x80, 0x81, 0x84, 0x88, 0xff, 0x00, 0x7f),
  }),
)

function applyByteOp(b: Uint8Array, op: ByteOp): Uint8Array {
  const at = op.at % (b.length + 1)
  const out = Buffer.from(b)
  switch (op.k) {
    case 'flip':
      if (at < out.length) out[at]! ^= 1 << op.bit
      return out
    case 'set':
    case 'len':
      if (at < out.length) out[at] = op.v
      return out
    case 'cut':
      return out.subarray(0, at)
    case 'insert':
      return Buffer.concat([out.subarray(0, at), op.bytes, out.subarray(at)])
    case 'delete':
      return Buffer.concat([out.subarray(0, at), out.subarray(at + op.n)])
  }
}

/** `base` with one to `max` byte mutations (bit flips, length octets, truncation, insertions). */
const mutateBytes = (base: Uint8Array, max = 3): fc.Arbitrary<Uint8Array> =>
  fc.array(byteOp, { minLength: 1, maxLength: max }).map((ops) => ops.reduce(applyByteOp, base))

/** Mutations of a certificate's TBS by extension and field; the certificate is then signed again (so signatures verify). */
type TbsOp =
  | { k: 'ext-bytes'; i: number; ops: ByteOp[] }
  | { k: 'ext-drop'; i: number }
  | { k: 'ext-dup'; i: number }
  | { k: 'ext-critical'; i: number }
  | { k: 'ext-add'; oid: string; value: Uint8Array; critical: boolean }
  | { k: 'serial'; v: Uint8Array }
  | { k: 'version'; v: number }
  | { k: 'spki-oid'; oid: string }
  | { k: 'spki-key'; ops: ByteOp[] }

const tbsOp: fc.Arbitrary<TbsOp> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      k: fc.constant('ext-bytes' as const),
      i: fc.nat(),
      ops: fc.array(byteOp, { minLength: 1, maxLength: 3 }),
    }),
  },
  fc.record({ k: fc.constant('ext-drop' as const), i: fc.nat() }),
  fc.record({ k: fc.constant('ext-dup' as const), i: fc.nat() }),
  fc.record({ k: fc.constant('ext-critical' as const), i: fc.nat() }),
  {
    weight: 2,
    arbitrary: fc.record({
      k: fc.constant('ext-add' as const),
      oid: fc.constantFrom(TN_AUTH_LIST_OID, '2.5.29.31', '2.5.29.32', '2.5.29.15', '2.5.29.19', '1.2.3.4.5'),
      value: fc.oneof(
        fc.uint8Array({ maxLength: 40 }),
        fc.constant(spcTnAuthList('0'.repeat(300))),
        fc.constant(
          encodeTnAuthList([
            { type: 'range', start: '1', count: 2 ** 31 },
            { type: 'one', tn: '\0' },
          ]),
        ),
      ),
      critical: fc.boolean(),
    }),
  },
  fc.record({ k: fc.constant('serial' as const), v: fc.uint8Array({ maxLength: 40 }) }),
  fc.record({ k: fc.constant('version' as const), v: fc.constantFrom(0, 1, 2, 3, 255) }),
  fc.record({
    k: fc.constant('spki-oid' as const),
    oid: fc.constantFrom('1.2.3.4', '1.2.840.113549.1.1.1', '1.3.101.112', '0.0'),
  }),
  fc.record({ k: fc.constant('spki-key' as const), ops: fc.array(byteOp, { minLength: 1, maxLength: 2 }) }),
)

/** Applies the operations to a TBSCertificate (for {@link resignCertificate}). */
const applyTbsOps =
  (ops: readonly TbsOp[]) =>
  (tbs: TBSCertificate): void => {
    const exts = [...(tbs.extensions ?? [])]
    const ext = (i: number) => exts[i % Math.max(1, exts.length)]
    for (const op of ops) {
      if (op.k === 'ext-bytes' && ext(op.i)) {
        const e = ext(op.i)!
        exts[exts.indexOf(e)] = new Extension({
          extnID: e.extnID,
          critical: e.critical,
          extnValue: new OctetString(op.ops.reduce(applyByteOp, new Uint8Array(e.extnValue.buffer))),
        })
      } else if (op.k === 'ext-drop' && ext(op.i)) exts.splice(exts.indexOf(ext(op.i)!), 1)
      else if (op.k === 'ext-dup' && ext(op.i)) exts.push(ext(op.i)!)
      else if (op.k === 'ext-critical' && ext(op.i)) {
        const e = ext(op.i)!
        exts[exts.indexOf(e)] = new Extension({ extnID: e.extnID, critical: !e.critical, extnValue: e.extnValue })
      } else if (op.k === 'ext-add')
        exts.push(new Extension({ extnID: op.oid, critical: op.critical, extnValue: new OctetString(op.value) }))
      else if (op.k === 'serial') tbs.serialNumber = op.v.slice().buffer
      else if (op.k === 'version') tbs.version = op.v
      else if (op.k === 'spki-oid') tbs.subjectPublicKeyInfo.algorithm.algorithm = op.oid
      else if (op.k === 'spki-key')
        tbs.subjectPublicKeyInfo.subjectPublicKey = op.ops
          .reduce(applyByteOp, new Uint8Array(tbs.subjectPublicKeyInfo.subjectPublicKey))
          .slice().buffer
    }
    tbs.extensions = exts.length ? new Extensions(exts) : undefined
  }

/** True for the documented error of a function, or rethrows the undocumented one. */
function only<E extends Error>(kind: new (...a: any[]) => E, fn: () => unknown): void {
  try {
    fn()
  } catch (e) {
    if (!(e instanceof kind))
      throw new Error(`threw ${(e as Error)?.constructor?.name} (not ${kind.name}): ${(e as Error)?.message}`, {
        cause: e,
      })
  }
}

describe('fuzz: PEM and DER', () => {
  let pki: TestPki
  let leafDer: Uint8Array
  let chainPem: string
  let leafKeyPem: string
  let tnAuthDer: Uint8Array
  const now = new Date()

  before(async () => {
    pki = await buildTestPki(now, 'http://127.0.0.1:9')
    leafDer = new Uint8Array(pki.leaves.good.cert.rawData)
    chainPem = pki.chainPem('good')
    leafKeyPem = pki.leaves.good.key.export({ type: 'pkcs8', format: 'pem' }) as string
    tnAuthDer = spcTnAuthList('1234')
  })

  it('PEM bundles: parseChain throws only RangeError; the x5u body parser never throws', () => {
    const bodies = fc
      .constant(null)
      .chain(() =>
        mutatedFrom(
          [
            chainPem,
            pki.leaves.good.pem,
            chainPem.replace(/\n/g, '\r\n'),
            chainPem.repeat(MAX_CHAIN + 1),
            `junk before\n${chainPem}`,
            chainPem.replace(/-----END CERTIFICATE-----/, ''),
          ],
          4,
        ),
      )
    fc.assert(
      fc.property(bodies, fc.boolean(), (text, asBuffer) => {
        only(RangeError, () => {
          pemBlocks(text)
          parseChain(text)
        })
        const certs = parsePemBody(asBuffer ? Buffer.from(text, 'latin1') : text)
        if (certs) assert.ok(certs.length >= 1 && certs.length <= MAX_CHAIN)
      }),
      fuzzParams(5_000),
    )
  })

  it('DER certificates: certFacts throws only RangeError; the profile lint and the chain order check never throw', () => {
    fc.assert(
      fc.property(
        fc.constant(null).chain(() => mutateBytes(leafDer, 4)),
        (der) => {
          only(RangeError, () => certFacts(der))
          const report = lintCertificate(der, { strict: true })
          assert.ok(['ee', 'intermediate', 'root'].includes(report.role))
          assert.ok(report.findings.every((f) => f.severity === 'error' || f.severity === 'warning'))
          let cert: X509Certificate | undefined
          try {
            cert = new X509Certificate(der)
          } catch {
            return
          }
          chainOrderProblem([cert, new X509Certificate(pki.intermediate.pem)])
          lintCertificate(cert)
        },
      ),
      fuzzParams(3_000),
    )
  })

  it('TNAuthList DER: decodes or throws RangeError', () => {
    fc.assert(
      fc.property(
        fc.constant(null).chain(() => mutateBytes(tnAuthDer, 4)),
        (der) => {
          only(RangeError, () => {
            for (const e of decodeTnAuthList(der)) assert.ok(['spc', 'range', 'one'].includes(e.type))
          })
        },
      ),
      fuzzParams(10_000),
    )
  })

  it('certificate import: a mutated chain or key is refused with the invalid-parameter error only', () => {
    const chain = fc.constant(null).chain(() =>
      fc.oneof(
        mutatedFrom([chainPem], 3),
        mutateBytes(leafDer, 3).map((d) => derToPem(d) + pki.intermediate.pem),
      ),
    )
    const key = fc
      .constant(null)
      .chain(() =>
        fc.oneof(
          { weight: 3, arbitrary: fc.constant(leafKeyPem) },
          { weight: 1, arbitrary: mutatedFrom([leafKeyPem], 2) },
        ),
      )
    fc.assert(
      fc.property(chain, key, fc.boolean(), (c, k, strict) => {
        try {
          checkImport(c, k, { strict })
        } catch (e) {
          assert.ok(
            e instanceof AppError && e.key === 'INVALID_PARAM',
            `threw ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`,
          )
        }
      }),
      fuzzParams(3_000),
    )
  })

  it('CA-signed certificates with mutated extensions and fields: path validation, the lint and the x5u cache never throw', async () => {
    const trust = trustStoreOf([new X509Certificate(pki.root.pem)])
    const key = pki.intermediate.key
    const intermediatePem = pki.intermediate.pem
    // Sanity: the unmutated leaf, signed again, validates (the mutants differ from a valid chain only by their mutation).
    assert.ok(
      validatePath(
        [new X509Certificate(resignCertificate(leafDer, () => undefined, key)), new X509Certificate(intermediatePem)],
        trust,
      ).ok,
    )
    let body = ''
    const cache = new CertCache({
      fetcher: async () => ({ status: 200, headers: {}, body: Buffer.from(body, 'latin1') }) as any,
      trust,
      crl: new CrlStore(),
      clock: () => now,
      negativeTtlMs: 0,
      profile: (leaf) =>
        lintCertificate(leaf, { strict: true })
          .findings.filter((f) => f.severity === 'error')
          .map((f) => f.id),
    })
    let n = 0
    let validated = 0
    await fc.assert(
      fc.asyncProperty(fc.array(tbsOp, { minLength: 1, maxLength: 3 }), async (ops) => {
        const der = resignCertificate(leafDer, applyTbsOps(ops), key)
        // The cache parses the body, validates the path and lints the leaf (its profile check above).
        body = derToPem(der) + intermediatePem
        const r = await cache.get(`https://127.0.0.1:8443/fuzz/${n++}.pem`)
        // The fetcher above always answers 200: x5u_fetch_failed can only come from a throw inside validation.
        assert.ok(r.ok || r.reason !== 'x5u_fetch_failed', `the x5u cache failed by a throw: ${!r.ok && r.detail}`)
        if (r.ok || !['cert_invalid', 'cert_untrusted', 'cert_key_unsupported'].includes(r.reason)) validated++
      }),
      fuzzParams(1_500),
    )
    assert.ok(validated > 0, 'some mutants still validate: the cases reach past the signature check')
  })

  it('CRLs: loading a mutated CRL resolves or rejects with an Error, and a refresh never rejects', async () => {
    const store = new CrlStore()
    store.learn([], [new X509Certificate(pki.intermediate.pem)])
    const crl = new Uint8Array(pki.crl)
    await fc.assert(
      fc.asyncProperty(
        fc.constant(null).chain(() => mutateBytes(crl, 3)),
        async (der) => {
          await store.load(Buffer.from(der)).catch((e) => assert.ok(e instanceof Error))
          const [r] = await store.refresh(async () => Buffer.from(der), ['https://127.0.0.1:8443/crl'])
          assert.equal(typeof r!.ok, 'boolean')
        },
      ),
      fuzzParams(1_000),
    )
  })
})
