/** The ID token checks of single sign-on: signature, issuer, audience, expiry and nonce, each refused on its own. */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { exportJWK, generateKeyPair, SignJWT } from 'jose'
import { checkIdToken } from './sso.js'
import { AppError } from '../../domain/errors.js'

const now = new Date('2026-12-06T12:00:00Z')
const expected = { issuer: 'https://idp.acme.example', audience: 'stirhub', nonce: 'n-0123456789', now }

describe('checkIdToken', async () => {
  const { privateKey, publicKey } = await generateKeyPair('RS256')
  const other = await generateKeyPair('RS256')
  const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256' }] }
  const token = (over: Record<string, unknown> = {}, key = privateKey) =>
    new SignJWT({ email: 'ann@acme.example', nonce: expected.nonce, ...over })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer((over.iss as string) ?? expected.issuer)
      .setAudience((over.aud as string) ?? expected.audience)
      .setSubject('ann')
      .setIssuedAt(Math.floor(now.getTime() / 1000))
      .setExpirationTime(Math.floor(now.getTime() / 1000) + 300)
      .sign(key)
  const refusedFor = async (t: string, why: RegExp) =>
    assert.rejects(checkIdToken(t, jwks, expected), (e: unknown) => {
      assert.ok(e instanceof AppError)
      assert.equal(e.key, 'SSO_REFUSED')
      assert.match(e.message, why)
      return true
    })

  it('accepts a token of this issuer, for this client, with this nonce', async () => {
    const claims = await checkIdToken(await token(), jwks, expected)
    assert.equal(claims.email, 'ann@acme.example')
  })

  it('refuses another issuer, another audience, another nonce, another key, or an expired token', async () => {
    await refusedFor(await token({ iss: 'https://evil.example' }), /iss/)
    await refusedFor(await token({ aud: 'someone-else' }), /aud/)
    await refusedFor(await token({ nonce: 'replayed' }), /nonce/)
    await refusedFor(await token({}, other.privateKey), /signature/)
    await assert.rejects(
      checkIdToken(await token(), jwks, { ...expected, now: new Date(now.getTime() + 3600_000) }),
      /exp/,
    )
  })
})
