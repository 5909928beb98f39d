import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { generateKeyPairSync, randomUUID } from 'node:crypto'
import { signDivIdentity, signIdentity } from '../passport/index.js'
import { carriedIdentity } from './diversion.js'

const key = { key: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey, x5u: 'https://cr.example.net/sp.pem' }
const iat = 1_700_000_000
const shaken = (dest: string) => signIdentity(key, { attest: 'A', dest: { tn: [dest] }, iat, orig: { tn: '12125550100' }, origid: randomUUID() }).identity
const div = (from: string, to: string) => signDivIdentity(key, { dest: { tn: [to] }, div: { tn: from }, iat, orig: { tn: '12125550100' } }).identity

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
    assert.deepEqual(carriedIdentity(shaken('12125550200'), '12125550999'), { kind: 'retargeted', orig: '12125550100', div: '12125550200' })
    const chain = [shaken('12125550200'), div('12125550200', '12125550300')].join(',')
    assert.deepEqual(carriedIdentity(chain, '12125550999'), { kind: 'retargeted', orig: '12125550100', div: '12125550300' })
    // A div that does not start where the call was (or a loop) is not followed.
    const stray = [shaken('12125550200'), div('12125550777', '12125550999'), div('12125550200', '12125550200')].join(',')
    assert.deepEqual(carriedIdentity(stray, '12125550999'), { kind: 'retargeted', orig: '12125550100', div: '12125550200' })
  })

  it('an Identity it cannot read, or only div headers: not signed again', () => {
    for (const bad of ['garbage', 'a.b.c;info=<https://x/c.pem>', '..sig;info=<https://x/c.pem>', div('12125550200', '12125550300'), 'x'.repeat(20_000)]) {
      assert.deepEqual(carriedIdentity(bad, '12125550300'), { kind: 'unreadable' }, bad.slice(0, 40))
    }
  })
})
