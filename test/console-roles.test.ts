/**
 * Roles enforced by the API for console users (domain/roles.ts), on both engines: every role
 * against a representative route of each kind — allowed answers 2xx, refused answers 403
 * ROLE_FORBIDDEN in the API's error format (ATIS's on /stir) and changes nothing. The
 * account's own credentials keep every power, whatever its users' roles.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { DIALECTS } from './helpers/dialects.js'
import { startServer, type TestServer } from './helpers/server.js'
import { http, newAccount, type Creds, type Res } from './helpers/http.js'
import { randomUsNumber, stockInventory } from './helpers/onboarding.js'
import { addUser, as, userSignIn, type Browser } from './helpers/users.js'
import { POLICY } from '../src/domain/policy-sids.js'

type Role = 'owner' | 'compliance' | 'developer' | 'read-only'
const ROLES: readonly Role[] = ['owner', 'compliance', 'developer', 'read-only']

interface Case {
  readonly kind: string
  readonly allowed: readonly Role[]
  /** Makes the request as `b` in account `a` (fresh inputs each time). */
  readonly call: (s: TestServer, a: Creds, b: Browser) => Promise<Res>
}

const US_ADDRESS = {
  CustomerName: 'Role Co',
  Street: '1 Main St',
  City: 'Springfield',
  Region: 'IL',
  PostalCode: '62701',
  IsoCountry: 'US',
}

const CASES: readonly Case[] = [
  {
    kind: 'read: list end users',
    allowed: ROLES,
    call: (s, _a, b) => http(s.url, 'GET', '/v1/EndUsers', { headers: as(b) }),
  },
  {
    kind: 'read: verification policy',
    allowed: ROLES,
    call: (s, _a, b) => http(s.url, 'GET', '/stir/v1/verification/policy', { headers: as(b) }),
  },
  {
    kind: 'settings: rename the account',
    allowed: ['owner'],
    call: (s, a, b) =>
      http(s.url, 'POST', `/2010-04-01/Accounts/${a.sid}.json`, { headers: as(b), form: { FriendlyName: 'Renamed' } }),
  },
  {
    kind: 'credentials: secondary auth token',
    allowed: ['owner'],
    call: async (s, _a, b) => {
      const r = await http(s.url, 'POST', '/v1/AuthTokens/Secondary', { headers: as(b) })
      if (r.status === 201) await http(s.url, 'DELETE', '/v1/AuthTokens/Secondary', { headers: as(b) })
      return r
    },
  },
  {
    kind: 'API keys: create one',
    allowed: ['owner', 'developer'],
    call: (s, a, b) =>
      http(s.url, 'POST', `/2010-04-01/Accounts/${a.sid}/Keys.json`, { headers: as(b), form: { FriendlyName: 'ci' } }),
  },
  {
    kind: 'compliance: create a customer profile',
    allowed: ['owner', 'compliance'],
    call: (s, _a, b) =>
      http(s.url, 'POST', '/v1/CustomerProfiles', {
        headers: as(b),
        form: { FriendlyName: 'Profile', Email: 'c@role.example', PolicySid: POLICY.PRIMARY_PROFILE },
      }),
  },
  {
    kind: 'compliance: create an end user',
    allowed: ['owner', 'compliance'],
    call: (s, _a, b) =>
      http(s.url, 'POST', '/v1/EndUsers', {
        headers: as(b),
        form: { FriendlyName: 'Rep', Type: 'authorized_representative_1' },
      }),
  },
  {
    kind: 'compliance: create an address',
    allowed: ['owner', 'compliance'],
    call: (s, a, b) =>
      http(s.url, 'POST', `/2010-04-01/Accounts/${a.sid}/Addresses.json`, { headers: as(b), form: US_ADDRESS }),
  },
  {
    kind: 'numbers: buy one',
    allowed: ['owner', 'developer'],
    call: async (s, a, b) => {
      const phone = randomUsNumber()
      await stockInventory(s.url, [phone])
      return http(s.url, 'POST', `/2010-04-01/Accounts/${a.sid}/IncomingPhoneNumbers.json`, {
        headers: as(b),
        form: { PhoneNumber: phone },
      })
    },
  },
  {
    kind: 'developer: verification policy',
    allowed: ['owner', 'developer'],
    call: (s, _a, b) =>
      http(s.url, 'POST', '/stir/v1/verification/policy', { headers: as(b), json: { failureAction: 'continue' } }),
  },
  {
    kind: 'read: audit events',
    allowed: ROLES,
    call: (s, _a, b) => http(s.url, 'GET', '/v1/Events', { headers: as(b) }),
  },
]

for (const dialect of DIALECTS) {
  describe(`console roles [${dialect}]`, () => {
    let s: TestServer
    let a: Creds
    const browsers = new Map<Role, Browser>()
    before(async () => {
      s = await startServer(dialect)
      a = await newAccount(s.url, 'Role Co')
      for (const role of ROLES) {
        await addUser(s, a.sid, `${role}@role.example`, role)
        browsers.set(role, await userSignIn(s.url, `${role}@role.example`))
      }
    })
    after(async () => {
      await s.stop()
    })

    for (const c of CASES)
      it(`${c.kind}: ${c.allowed.join(', ')} allowed; the rest refused 403`, async () => {
        for (const role of ROLES) {
          const r = await c.call(s, a, browsers.get(role)!)
          if (c.allowed.includes(role)) {
            assert.ok(r.status >= 200 && r.status < 300, `${role}: ${r.status} ${JSON.stringify(r.body)}`)
            continue
          }
          assert.equal(r.status, 403, `${role}: ${r.status} ${JSON.stringify(r.body)}`)
          if (r.body.requestError) assert.match(JSON.stringify(r.body.requestError), /role/)
          else {
            assert.equal(r.body.code, 20403)
            assert.equal(r.body.status, 403)
            assert.match(r.body.message, new RegExp(`Your role \\(${role}\\) may not`))
          }
        }
      })

    it("refused changes change nothing, and the account's auth token keeps every power", async () => {
      const before = await http(s.url, 'GET', '/v1/EndUsers', { auth: a })
      const ro = browsers.get('read-only')!
      assert.equal(
        (
          await http(s.url, 'POST', '/v1/EndUsers', {
            headers: as(ro),
            form: { FriendlyName: 'x', Type: 'customer_profile_business_information' },
          })
        ).status,
        403,
      )
      const afterwards = await http(s.url, 'GET', '/v1/EndUsers', { auth: a })
      assert.equal(afterwards.body.results.length, before.body.results.length)
      assert.equal(
        (
          await http(s.url, 'POST', `/2010-04-01/Accounts/${a.sid}.json`, {
            auth: a,
            form: { FriendlyName: 'By token' },
          })
        ).status,
        200,
      )
    })
  })
}
