/**
 * Fuzz: `Attributes`, the JSON object that end users and supporting documents carry (a JSON
 * string in a form field, as the SDK sends it, or an object in a JSON body). In process,
 * attributesJson returns a stored object or throws only the invalid-parameter or invalid-text error, and the
 * evaluation's field checks never throw on what it returns. Over HTTP on each store, a fuzzed
 * end user on a profile is then evaluated, so the stored attributes go through the evaluation
 * too: every answer is a success or a Twilio error of the catalogue.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { attributesJson } from '../../src/api/params.js'
import { AppError } from '../../src/domain/errors.js'
import { fieldProblem, isBlank, listValue } from '../../src/domain/evaluation-fields.js'
import { DIALECTS } from '../helpers/dialects.js'
import { encodeForm, fuzzParams, mutateJson, mutatedJsonText } from '../helpers/fuzz.js'
import {
  basic,
  described,
  fuzzWorld,
  inject,
  POLICY_PRIMARY,
  twilioProblem,
  type FuzzWorld,
} from '../helpers/http-fuzz.js'

/** What a business information end user really carries (Twilio's SHAKEN/STIR onboarding guide). */
const BUSINESS = {
  business_name: 'Acme Inc',
  business_identity: 'direct_customer',
  business_type: 'Corporation',
  business_industry: 'TECHNOLOGY',
  business_registration_identifier: 'EIN',
  business_registration_number: '12-3456789',
  business_regions_of_operation: 'USA_AND_CANADA',
  website_url: 'https://acme.example',
  social_media_profile_urls: ['https://x.example/acme'],
}
const REPRESENTATIVE = {
  first_name: 'Ann',
  last_name: 'Lee',
  email: 'ann@acme.example',
  phone_number: '+14155550100',
  business_title: 'CTO',
  job_position: 'CEO',
}
const BASES = [BUSINESS, REPRESENTATIVE, { address_sids: ['AD' + '0'.repeat(32)] }]

/** A form field's text or a JSON body's value: valid, mutated structurally, or mutated as text. */
const attributes = fc
  .constantFrom(...BASES)
  .chain((b) => fc.oneof({ weight: 3, arbitrary: mutatedJsonText(b) }, { weight: 1, arbitrary: mutateJson(b, 3) }))

describe('fuzz: Attributes (in process)', () => {
  it('attributesJson returns a stored object or throws the invalid-parameter or invalid-text error; the field checks never throw on it', () => {
    fc.assert(
      fc.property(attributes, (raw) => {
        let attrs: Record<string, unknown>
        try {
          attrs = JSON.parse(attributesJson(raw))
        } catch (e) {
          assert.ok(e instanceof AppError && (e.key === 'INVALID_PARAM' || e.key === 'INVALID_TEXT'), String(e))
          return
        }
        assert.ok(attrs !== null && typeof attrs === 'object' && !Array.isArray(attrs))
        for (const [k, v] of Object.entries(attrs)) {
          isBlank(v)
          listValue(v)
          fieldProblem(k, v, attrs)
          for (const field of Object.keys(BUSINESS).concat(Object.keys(REPRESENTATIVE))) fieldProblem(field, v, attrs)
        }
      }),
      fuzzParams(10_000),
    )
  })
})

for (const dialect of DIALECTS) {
  describe(`fuzz: Attributes over HTTP, stored and evaluated [${dialect}]`, () => {
    let w: FuzzWorld
    let profile: string
    before(async () => {
      w = await fuzzWorld(dialect)
      const r = await inject(w, {
        method: 'POST',
        url: '/v1/CustomerProfiles',
        headers: { authorization: basic(w.P), 'content-type': 'application/x-www-form-urlencoded' },
        payload: encodeForm([
          ['FriendlyName', 'attrs'],
          ['Email', 'a@acme.example'],
          ['PolicySid', POLICY_PRIMARY],
        ]),
      })
      profile = (r.body as { sid: string }).sid
      await inject(w, {
        method: 'POST',
        url: `/v1/CustomerProfiles/${profile}/EntityAssignments`,
        headers: { authorization: basic(w.P), 'content-type': 'application/x-www-form-urlencoded' },
        payload: `ObjectSid=${w.endUser}`,
      })
    })
    after(async () => {
      await w?.server.stop()
    })

    // Two requests a case (update the end user on the profile, evaluate the profile): 5,000
    // cases on SQLite, a quarter on PostgreSQL.
    it("an end user's fuzzed Attributes are stored and evaluated with a success or a Twilio error", async () => {
      await fc.assert(
        fc.asyncProperty(attributes, fc.boolean(), async (attrs, asForm) => {
          const update = asForm
            ? {
                method: 'POST' as const,
                url: `/v1/EndUsers/${w.endUser}`,
                headers: { authorization: basic(w.P), 'content-type': 'application/x-www-form-urlencoded' },
                payload: encodeForm([
                  ['Attributes', typeof attrs === 'string' ? attrs : (JSON.stringify(attrs) ?? '')],
                ]),
              }
            : {
                method: 'POST' as const,
                url: `/v1/EndUsers/${w.endUser}`,
                headers: { authorization: basic(w.P), 'content-type': 'application/json' },
                payload: JSON.stringify({ Attributes: attrs }) ?? '',
              }
          const a = await inject(w, update)
          assert.equal(twilioProblem(a), undefined, `${twilioProblem(a)} for ${described(update)}`)
          const evaluate = {
            method: 'POST' as const,
            url: `/v1/CustomerProfiles/${profile}/Evaluations`,
            headers: { authorization: basic(w.P), 'content-type': 'application/x-www-form-urlencoded' },
            payload: `PolicySid=${POLICY_PRIMARY}`,
          }
          const e = await inject(w, evaluate)
          assert.equal(twilioProblem(e), undefined, `${twilioProblem(e)} evaluating after ${described(update)}`)
        }),
        fuzzParams(dialect === 'sqlite' ? 5_000 : 1_250),
      )
    })
  })
}
