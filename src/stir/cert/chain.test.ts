import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { chainOrderProblem, parseChain, pemBlocks, serializeChain } from './chain.js'
import { createDevRoot, issueSpCert } from './dev-ca.js'
import { FIXTURES } from '../../../test/helpers/fixtures.js'

describe('PEM chains', () => {
  it('reads certificate blocks around text dumps, leaf first, and writes them back', () => {
    const text =
      fs.readFileSync(path.join(FIXTURES, 'libstirshaken/sp.pem'), 'utf8') +
      'junk\n' +
      fs.readFileSync(path.join(FIXTURES, 'libstirshaken/ca.pem'), 'utf8')
    const chain = parseChain(text)
    assert.equal(chain.length, 2)
    assert.equal(chainOrderProblem(chain), undefined)
    const again = parseChain(serializeChain(chain))
    assert.deepEqual(
      again.map((c) => c.fingerprint256),
      chain.map((c) => c.fingerprint256),
    )
    assert.match(serializeChain(chain), /^-----BEGIN CERTIFICATE-----\n([A-Za-z0-9+/=]{64}\n)+/)
  })
  it('names a chain out of order or from another CA', async () => {
    const ss = (f: string) => fs.readFileSync(path.join(FIXTURES, 'libstirshaken', f), 'utf8')
    assert.match(chainOrderProblem(parseChain(ss('ca.pem') + ss('sp.pem'))) ?? '', /not signed by certificate 2/)
    assert.match(chainOrderProblem(parseChain(ss('wrongsp.pem') + ss('ca.pem'))) ?? '', /not signed/)
    const root = await createDevRoot(new Date())
    const sp = await issueSpCert(root, { spc: '1', publicUrl: 'http://x', now: new Date() })
    assert.equal(chainOrderProblem(parseChain(sp.certPem + root.certPem)), undefined)
  })
  it('refuses text with no certificate, or a block that is not one', () => {
    assert.throws(() => pemBlocks('hello'), RangeError)
    assert.throws(() => parseChain('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----'), RangeError)
  })
})
