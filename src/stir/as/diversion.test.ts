import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { generateKeyPairSync, randomUUID } from 'node:crypto'
import { signDivIdentity, signIdentity } from '../passport/index.js'
import { carriedIdentity } from './diversion.js'

const key = { key: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey, x5u: 'https://cr.example.net/sp.pem' }
const iat = 1_700_000_000
const shaken = (dest: string) =>
  signIdentity(key, { attest: 'A', dest: { tn: [dest] }, iat, orig: { tn: '12125550100' }, origid: randomUUID() })
    .identity
const div = (from: string, to: string) =>
  signDivIdentity(key, { dest: { tn: [to] }, div: { tn: from }, iat, orig: { tn: '12125550100' } }).identity

describe('what a call carries at the STI-AS (RFC 8946)', () => {
  it('no Identity: sign as the originating provider', () => {
    for (const none of [undefined, '', '  ']) assert.deepEqual(carriedIdentity(none, '12125550200'), { kind: 'none' })
  })

  it('still going where it was signed for, directly or through the hops already signed', () => {
    assert.deepEqual(carriedIdentity(shaken('12125550200'), '12125550200'), { kind: 'same-target' })
    const chain = [shaken('12125550200'), div('12125550200', '12125550300'), div('12125550300', '12125550400')]
    // Header order does not matter: hops are followed from the SHAKEN PASSporT's dest.
    assert.deepEqual(carriedIdentity([chain[2], chain[0], chain[1]].join(','), '12125550400'), { kind: 'same-target' })
  })

  it('retargeted: the diverting number is the last target signed for', () => {
    assert.deepEqual(carriedIdentity(shaken('12125550200'), '12125550999'), {
      kind: 'retargeted',
      orig: '12125550100',
      div: '12125550200',
    })
    const chain = [shaken('12125550200'), div('12125550200', '12125550300')].join(',')
    assert.deepEqual(carriedIdentity(chain, '12125550999'), {
      kind: 'retargeted',
      orig: '12125550100',
      div: '12125550300',
    })
    // A div that does not start where the call was (or a loop) is not followed.
    const stray = [shaken('12125550200'), div('12125550777', '12125550999'), div('12125550200', '12125550200')].join(
      ',',
    )
    assert.deepEqual(carriedIdentity(stray, '12125550999'), {
      kind: 'retargeted',
      orig: '12125550100',
      div: '12125550200',
    })
  })

  it('an Identity it cannot read, or only div headers: not signed again', () => {
    for (const bad of [
      'garbage',
      'a.b.c;info=<https://x/c.pem>',
      '..sig;info=<https://x/c.pem>',
      div('12125550200', '12125550300'),
      'x'.repeat(20_000),
    ]) {
      assert.deepEqual(carriedIdentity(bad, '12125550300'), { kind: 'unreadable' }, bad.slice(0, 40))
    }
  })

  it('never throws on damaged, type-confused or huge Identity text, and reads a hop only from a readable PASSporT', () => {
    let x = 0x5eed
    const next = () => {
      x ^= x << 13
      x ^= x >>> 17
      x ^= x << 5
      return (x >>> 0) / 0x100000000
    }
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url')
    const forged = (claims: unknown) =>
      `${b64({ alg: 'ES256', ppt: 'shaken', typ: 'passport', x5u: key.x5u })}.${b64(claims)}.c2ln;info=<${key.x5u}>;ppt=shaken`
    const chain = [shaken('12125550200'), div('12125550200', '12125550300')].join(',')
    const seeds = [
      chain,
      forged({ attest: 'A', dest: { tn: '12125550200' }, iat, orig: { tn: '12125550100' }, origid: randomUUID() }),
      forged({ attest: 'A', dest: { tn: [12125550200] }, iat, orig: { tn: ['x'] }, origid: randomUUID() }),
      forged({ dest: { tn: [{ tn: { tn: {} } }] }, orig: null }),
      forged([[[[[[[[[[[[]]]]]]]]]]]]),
    ]
    for (let i = 0; i < 3000; i++) {
      let t = seeds[Math.floor(next() * seeds.length)]!
      const at = Math.floor(next() * t.length)
      const op = Math.floor(next() * 4)
      if (op === 0)
        t = t.slice(0, at) // truncated
      else if (op === 1)
        t = t.slice(0, at) + String.fromCharCode(Math.floor(next() * 256)) + t.slice(at + 1) // one byte changed
      else if (op === 2)
        t = t.slice(0, at) + ',' + t.slice(at) // instances split in the wrong place
      else t = t + ',' + t.slice(at) // a duplicated tail
      const r = carriedIdentity(t, '12125550999')
      assert.ok(['none', 'unreadable', 'same-target', 'retargeted'].includes(r.kind))
      if (r.kind === 'retargeted') assert.match(r.orig + r.div, /^[0-9]+$/)
    }
    // Type-confused claims are not a PASSporT to divert from.
    for (const t of seeds.slice(2)) assert.deepEqual(carriedIdentity(t, '12125550999'), { kind: 'unreadable' })
    assert.deepEqual(carriedIdentity(chain + ','.repeat(50_000), '12125550999').kind, 'retargeted')
  })
})
