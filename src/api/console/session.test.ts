import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createSealer } from '../../security/secrets.js'
import { authorizationOf, csrfMatches, newSession, openSession, sealSession, SESSION_TTL_MS } from './session.js'
import { parseCookies, setCookie } from './cookies.js'

describe('console session cookie', () => {
  const sealer = createSealer('unit-test-master-key-0123456789abcdef0123')
  const now = new Date('2026-11-28T10:00:00Z')

  it('round-trips a sealed session that hides the credential, until it expires', () => {
    const s = newSession({ kind: 'basic', user: 'AC' + '1'.repeat(32), pass: 'secret-token' }, now)
    const sealed = sealSession(sealer, s)
    assert.equal(sealed.includes('secret-token'), false)
    assert.deepEqual(openSession(sealer, sealed, now), s)
    assert.equal(openSession(sealer, sealed, new Date(now.getTime() + SESSION_TTL_MS)), undefined)
  })

  it('refuses tampered values and values sealed under another key', () => {
    const sealed = sealSession(sealer, newSession({ kind: 'bearer', token: 't', role: 'operator' }, now))
    // Change the second-to-last character (always a data character of the last group).
    const flipped = sealed.slice(0, -2) + (sealed.at(-2) === 'A' ? 'B' : 'A') + sealed.slice(-1)
    assert.notEqual(flipped, sealed)
    assert.equal(openSession(sealer, flipped, now), undefined)
    assert.equal(openSession(createSealer('another-master-key-0123456789abcdef01234'), sealed, now), undefined)
    assert.equal(openSession(sealer, 'garbage', now), undefined)
    assert.equal(openSession(sealer, undefined, now), undefined)
  })

  it('matches the CSRF token exactly and rebuilds the Authorization header', () => {
    const s = newSession({ kind: 'basic', user: 'SKx', pass: 'p:w' }, now)
    assert.equal(csrfMatches(s, s.csrf), true)
    assert.equal(csrfMatches(s, s.csrf + 'x'), false)
    assert.equal(csrfMatches(s, undefined), false)
    assert.equal(authorizationOf(s.cred), 'Basic ' + Buffer.from('SKx:p:w').toString('base64'))
    assert.equal(authorizationOf({ kind: 'bearer', token: 'tok', role: 'reviewer' }), 'Bearer tok')
  })

  it('parses cookies and writes SameSite=Strict ones', () => {
    assert.deepEqual(parseCookies('a=1; b=x=y;  c=3; a=2'), { a: '1', b: 'x=y', c: '3' })
    assert.equal(
      setCookie('n', 'v', { httpOnly: true, secure: true, maxAge: 60 }),
      'n=v; Path=/; Max-Age=60; SameSite=Strict; HttpOnly; Secure',
    )
  })
})
