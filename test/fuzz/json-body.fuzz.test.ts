/**
 * Fuzz: JSON bodies on the admin API (operator token, traceback included), the console sign-in and the ATIS /stir
 * routes (signing, verification with PASSporTs the server itself signed, the verify policy),
 * through `app.inject()` on a real server on each store, plus a sample of the /stir calls over
 * a real socket (the fast lane reads those off the socket itself, outside Fastify). Realistic
 * bodies are mutated structurally (wrong types, deep nesting, prototype keys, duplicates) and
 * as text (1e400, truncation, bad escapes, control characters). Every answer is a success or
 * the area's documented error: Twilio's catalogue outside /stir, ATIS's requestError inside.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { DIALECTS } from '../helpers/dialects.js'
import { fuzzParams, mutatedJsonText, FUZZ_SEED, fuzzRuns } from '../helpers/fuzz.js'
import { identityCases } from '../helpers/fuzz-identity.js'
import {
  atisProblem,
  basic,
  bearer,
  described,
  fuzzWorld,
  inject,
  problemOf,
  type FuzzWorld,
} from '../helpers/http-fuzz.js'

interface Target {
  readonly path: (w: FuzzWorld) => string
  readonly auth: (w: FuzzWorld) => Record<string, string>
  readonly body: (w: FuzzWorld, now: number) => unknown
}

const admin = () => ({ authorization: bearer() })
const account = (w: FuzzWorld) => ({ authorization: basic(w.P) })
const named = (w: FuzzWorld) => ({ authorization: basic(w.P), 'x-account-sid': w.S.sid })
const operatorFor = (w: FuzzWorld) => ({ authorization: bearer(), 'x-account-sid': w.P.sid })
const UUID = '123e4567-e89b-42d3-a456-426614174000'

const ADMIN_TARGETS: readonly Target[] = [
  { path: () => '/admin/v1/Accounts', auth: admin, body: () => ({ FriendlyName: 'Fuzz Co' }) },
  {
    path: (w) => `/admin/v1/Accounts/${w.P.sid}/IncomingPhoneNumbers`,
    auth: admin,
    body: () => ({ PhoneNumbers: ['+14155550160', '+1 415 555 0161', '+442071838750', '+14155550160'] }),
  },
  {
    path: (w) => `/admin/v1/Bundles/${w.trustProduct}/Status`,
    auth: admin,
    body: () => ({ Status: 'twilio-rejected', Errors: [18601, 18603], FailureReason: 'fuzz' }),
  },
  {
    path: (w) => `/admin/v1/Bundles/${w.trustProduct}/Status`,
    auth: admin,
    body: () => ({ Status: 'twilio-approved', ValidUntil: '2030-01-01T00:00:00Z' }),
  },
  { path: () => '/admin/v1/Reviewers', auth: admin, body: () => ({ Name: 'Rev', Email: 'rev@example.com' }) },
  { path: (w) => `/admin/v1/Reviews/${w.profile}/Claim`, auth: admin, body: () => ({}) },
  {
    path: (w) => `/admin/v1/Reviews/${w.profile}/Approve`,
    auth: admin,
    body: () => ({ ValidUntil: '2030-01-01T00:00:00Z' }),
  },
  {
    path: (w) => `/admin/v1/Reviews/${w.profile}/Reject`,
    auth: admin,
    body: () => ({ Errors: [18601], Reason: 'fuzz' }),
  },
  { path: () => '/console/api/session', auth: () => ({}), body: (w) => ({ Username: w.P.sid, Password: w.P.token }) },
]

const STIR_TARGETS: readonly Target[] = [
  {
    path: () => '/stir/v1/signing',
    auth: account,
    body: (w, now) => ({
      signingRequest: {
        attest: 'A',
        orig: { tn: w.phone.slice(1) },
        dest: { tn: ['12125551212'] },
        iat: now,
        origid: UUID,
      },
    }),
  },
  {
    path: () => '/stir/v1/signing',
    auth: operatorFor,
    body: (w, now) => ({
      signingRequest: {
        ppt: 'div',
        orig: { tn: '12155550121' },
        dest: { tn: ['12125551213'] },
        div: { tn: w.phone.slice(1) },
        iat: now,
      },
    }),
  },
  {
    path: () => '/stir/v1/signing',
    auth: named,
    body: (_w, now) => ({
      signingRequest: {
        attest: 'C',
        orig: { tn: '+1 (212) 555-0100' },
        dest: { tn: ['12125551212', '442071838750'] },
        iat: now,
        origid: UUID,
      },
    }),
  },
  {
    path: () => '/stir/v1/verification/policy',
    auth: account,
    body: () => ({ failureAction: 'reason', requireIdentity: true }),
  },
]

const CONTENT_TYPES = [
  'application/json',
  'application/json',
  'application/json',
  'application/json; charset=utf-8',
  'Application/JSON',
  'application/json; charset=latin1',
  'text/json',
  'application/x-www-form-urlencoded',
  'application/json\t',
  '',
]

for (const dialect of DIALECTS) {
  describe(`fuzz: JSON bodies on the admin and /stir routes [${dialect}]`, () => {
    let w: FuzzWorld
    let targets: Target[]
    before(async () => {
      w = await fuzzWorld(dialect)
      const signer = w.server.running.ctx.stiAs.signer()
      // Verification requests carry PASSporTs signed by the server's own key (x5u on loopback, which it may fetch in dev mode).
      const ids = identityCases(
        signer.key,
        signer.x5u,
        () => Math.floor(Date.now() / 1000),
        w.phone.slice(1),
        '12125551212',
      )
      const sample = fc.sample(ids.identities, { numRuns: 64, seed: FUZZ_SEED })
      let i = 0
      targets = [
        ...ADMIN_TARGETS,
        ...STIR_TARGETS,
        // Traceback checks pasted headers (the server's own, mutated) against our certificates.
        { path: () => '/admin/v1/traceback', auth: admin, body: () => ({ identity: sample[i++ % sample.length]![0] }) },
        {
          path: () => '/admin/v1/traceback',
          auth: admin,
          body: (_w, now) => ({ origid: UUID, orig: w.phone, dest: '12125551212', time: now }),
        },
        {
          path: () => '/stir/v1/verification',
          auth: account,
          body: (_w, now) => ({
            verificationRequest: {
              from: { tn: w.phone.slice(1) },
              to: { tn: ['12125551212'] },
              time: now,
              identity: sample[i++ % sample.length]![0],
            },
          }),
        },
      ]
    })
    after(async () => {
      await w?.server.stop()
    })

    const cases = () =>
      fc
        .record({ t: fc.nat({ max: targets.length - 1 }), ct: fc.constantFrom(...CONTENT_TYPES) })
        .chain(({ t, ct }) =>
          mutatedJsonText(targets[t]!.body(w, Math.floor(Date.now() / 1000))).map((payload) => ({ t, ct, payload })),
        )

    it("every mutated JSON body is answered with a success or the area's documented error", async () => {
      await fc.assert(
        fc.asyncProperty(cases(), async ({ t, ct, payload }) => {
          const target = targets[t]!
          const req = {
            method: 'POST' as const,
            url: target.path(w),
            headers: { ...target.auth(w), ...(ct ? { 'content-type': ct } : {}) },
            payload,
          }
          const a = await inject(w, req)
          const problem = problemOf(req.url, a)
          assert.equal(problem, undefined, `${problem} for ${described(req)}`)
        }),
        fuzzParams(dialect === 'sqlite' ? 10_000 : 2_500),
      )
    })

    it('over a real socket (the fast lane reads /stir signing and verification itself): the same answers', async () => {
      const stir = cases().filter(
        ({ t }) =>
          targets[t]!.path(w).startsWith('/stir/v1/signing') || targets[t]!.path(w) === '/stir/v1/verification',
      )
      const sample = fc.sample(stir, { numRuns: fuzzRuns(dialect === 'sqlite' ? 300 : 100), seed: FUZZ_SEED })
      for (const { t, ct, payload } of sample) {
        const target = targets[t]!
        const res = await fetch(w.server.url + target.path(w), {
          method: 'POST',
          headers: { ...target.auth(w), ...(ct ? { 'content-type': ct } : {}) },
          body: payload,
        })
        const text = await res.text()
        let body: unknown = text
        try {
          body = JSON.parse(text)
        } catch {
          /* kept as text */
        }
        const problem = atisProblem({ status: res.status, body, text })
        assert.equal(
          problem,
          undefined,
          `${problem} for ${target.path(w)} ${JSON.stringify(ct)} ${JSON.stringify(payload.slice(0, 600))}`,
        )
      }
    })
  })
}
