import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { base32, hotp, matchTotp, newRecoveryCodes, otpauthUri, stepOf } from './totp.js'

const SECRET = Buffer.from('12345678901234567890', 'ascii')

describe('TOTP (RFC 6238, SHA-1)', () => {
  it("matches the RFC's test vectors (last six digits of Appendix B)", () => {
    const vectors: Array<[number, string]> = [
      [59, '287082'],
      [1111111109, '081804'],
      [1111111111, '050471'],
      [1234567890, '005924'],
      [2000000000, '279037'],
      [20000000000, '353130'],
    ]
    for (const [t, code] of vectors) assert.equal(hotp(SECRET, stepOf(t * 1000)), code, String(t))
  })

  it('matches RFC 4226 Appendix D HOTP values', () => {
    assert.deepEqual(
      [0, 1, 2, 9].map((c) => hotp(SECRET, c)),
      ['755224', '287082', '359152', '520489'],
    )
  })

  it('takes one step of drift either way, refuses two, and never a used step again', () => {
    const t = 1234567890_000
    const step = stepOf(t)
    assert.equal(matchTotp(SECRET, hotp(SECRET, step), t), step)
    assert.equal(matchTotp(SECRET, hotp(SECRET, step - 1), t), step - 1)
    assert.equal(matchTotp(SECRET, hotp(SECRET, step + 1), t), step + 1)
    assert.equal(matchTotp(SECRET, hotp(SECRET, step - 2), t), undefined)
    assert.equal(matchTotp(SECRET, hotp(SECRET, step + 2), t), undefined)
    assert.equal(matchTotp(SECRET, hotp(SECRET, step), t, step), undefined, 'replayed')
    assert.equal(matchTotp(SECRET, '12345', t), undefined)
    assert.equal(matchTotp(SECRET, 'abcdef', t), undefined)
  })

  it('writes base32 and otpauth URIs as authenticator apps read them', () => {
    assert.equal(base32(Buffer.from('foobar')), 'MZXW6YTBOI') // RFC 4648 §10, unpadded
    assert.equal(base32(SECRET), 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ')
    assert.equal(
      otpauthUri(SECRET, 'ann@example.com'),
      'otpauth://totp/stirhub:ann%40example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=stirhub&algorithm=SHA1&digits=6&period=30',
    )
  })

  it('makes ten distinct recovery codes', () => {
    const codes = newRecoveryCodes()
    assert.equal(new Set(codes).size, 10)
    for (const c of codes) assert.match(c, /^[a-z2-7]{5}-[a-z2-7]{5}$/)
  })
})
