/**
 * Fuzz: page tokens (`PageToken`, src/api/paging.ts over src/store/paging.ts), which every list
 * route takes from the query string. decodeCursor never throws and reads back every cursor
 * encodeCursor wrote; pageRequest throws only the invalid-parameter error. Over HTTP on each
 * store, every list route gets mutated query strings (PageToken, PageSize, Page and filters,
 * valid tokens it issued among them): a page or a Twilio error of the catalogue, never a 5xx.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { decodeCursor, encodeCursor } from '../../src/store/paging.js'
import { pageRequest } from '../../src/api/paging.js'
import { AppError } from '../../src/domain/errors.js'
import { fuzzParams, mutatedFrom, mutateText, nastyText, pct } from '../helpers/fuzz.js'
import { DIALECTS } from '../helpers/dialects.js'
import { basic, bearer, described, fuzzWorld, inject, twilioProblem, type FuzzWorld } from '../helpers/http-fuzz.js'

const TOKENS: readonly string[] = [
  encodeCursor({ d: '2026-11-28T10:00:00.000Z', s: 'IT' + 'a'.repeat(32) }),
  encodeCursor({ d: '', s: '' }),
  'PT' + Buffer.from('[1,2]').toString('base64url'),
  'PT' + Buffer.from('{"d":"x","s":"y"}').toString('base64url'),
  'PT' + Buffer.from('[' + '['.repeat(3000) + ']'.repeat(3000) + ']').toString('base64url'),
  'PT',
  'pt',
  'PTPTPT',
  'PT====',
]

describe('fuzz: page tokens', () => {
  it('decodeCursor reads back every cursor, whatever its strings hold', () => {
    const text = fc.oneof(nastyText, fc.string({ unit: 'binary', maxLength: 40 }))
    fc.assert(
      fc.property(text, text, (d, s) => {
        assert.deepEqual(decodeCursor(encodeCursor({ d, s })), { d, s })
      }),
      fuzzParams(10_000),
    )
  })

  it('decodeCursor never throws; what it accepts is a pair of strings', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          mutatedFrom(TOKENS, 4),
          fc.string({ unit: 'binary', maxLength: 80 }).map((s) => 'PT' + s),
        ),
        (token) => {
          const c = decodeCursor(token)
          if (c) assert.ok(typeof c.d === 'string' && typeof c.s === 'string')
        },
      ),
      fuzzParams(10_000),
    )
  })

  it('pageRequest answers or throws only the invalid-parameter error naming PageToken', () => {
    fc.assert(
      fc.property(mutatedFrom(TOKENS, 4), fc.integer({ min: 1, max: 1000 }), fc.nat(), (token, PageSize, Page) => {
        try {
          const r = pageRequest({ PageToken: token, PageSize, Page })
          assert.equal(r.pageSize, PageSize)
        } catch (e) {
          assert.ok(e instanceof AppError && e.key === 'INVALID_PARAM' && e.details?.param === 'PageToken', String(e))
        }
      }),
      fuzzParams(10_000),
    )
  })
})

/** Every list route, with the credentials it takes. */
const LISTS: readonly ((w: FuzzWorld) => { readonly url: string; readonly auth: string })[] = [
  ...[
    '/v1/EndUsers',
    '/v1/SupportingDocuments',
    '/v1/CustomerProfiles',
    '/v1/TrustProducts',
    '/v1/Events',
    '/v1/Policies',
    '/v1/EndUserTypes',
    '/v1/SupportingDocumentTypes',
    '/2010-04-01/Accounts.json',
    '/console/api/sub-accounts',
  ].map((url) => (w: FuzzWorld) => ({ url, auth: basic(w.P) })),
  ...['IncomingPhoneNumbers', 'Addresses', 'Keys'].map((r) => (w: FuzzWorld) => ({
    url: `/2010-04-01/Accounts/${w.P.sid}/${r}.json`,
    auth: basic(w.P),
  })),
  ...['EntityAssignments', 'ChannelEndpointAssignments', 'Evaluations'].map((r) => (w: FuzzWorld) => ({
    url: `/v1/CustomerProfiles/${w.profile}/${r}`,
    auth: basic(w.P),
  })),
  ...['/admin/v1/Reviews', '/admin/v1/Events', '/admin/v1/Reviewers', '/admin/v1/calls'].map((url) => () => ({
    url,
    auth: bearer(),
  })),
]

for (const dialect of DIALECTS) {
  describe(`fuzz: page tokens and list queries over HTTP [${dialect}]`, () => {
    let w: FuzzWorld
    const issued: string[] = []
    before(async () => {
      w = await fuzzWorld(dialect)
      // Real tokens: each list's next page with one row a page.
      for (const list of LISTS) {
        const { url, auth } = list(w)
        const a = await inject(w, { method: 'GET', url: `${url}?PageSize=1`, headers: { authorization: auth } })
        const next = (a.body as any)?.meta?.next_page_url ?? (a.body as any)?.next_page_uri
        const token = typeof next === 'string' ? new URL(next, 'http://x').searchParams.get('PageToken') : null
        if (token) issued.push(token)
      }
    })
    after(async () => {
      await w?.server.stop()
    })

    it('every list answers mutated paging and filter queries with a page or a Twilio error', async () => {
      const token = fc.oneof(
        fc.constantFrom(...TOKENS, ...issued, ''),
        fc.constantFrom(...TOKENS, ...issued).chain((t) => mutateText(t, 3)),
      )
      const number = fc.oneof(
        fc.constantFrom('1', '50', '1000', '0', '-1', '1001', '1.5', '1e3', '0x10', '', ' 1', '9'.repeat(30)),
        nastyText,
      )
      const query = fc
        .record({
          PageToken: fc.option(token),
          PageSize: fc.option(number),
          Page: fc.option(number),
          FriendlyName: fc.option(nastyText),
          Status: fc.option(fc.oneof(fc.constantFrom('draft', 'twilio-approved', 'pending-review'), nastyText)),
          PhoneNumber: fc.option(fc.oneof(fc.constant('+14155550142'), nastyText)),
        })
        .map((q) =>
          Object.entries(q)
            .filter(([, v]) => v !== null)
            .map(([k, v]) => `${k}=${pct(v as string)}`)
            .join('&'),
        )
      const raw = query.chain((q) =>
        fc.oneof({ weight: 4, arbitrary: fc.constant(q) }, { weight: 1, arbitrary: mutateText(q, 2) }),
      )
      await fc.assert(
        fc.asyncProperty(fc.nat({ max: LISTS.length - 1 }), raw, async (i, q) => {
          const { url, auth } = LISTS[i]!(w)
          const req = { method: 'GET' as const, url: `${url}?${q}`, headers: { authorization: auth } }
          const a = await inject(w, req)
          assert.equal(twilioProblem(a), undefined, `${twilioProblem(a)} for ${described(req)}`)
        }),
        fuzzParams(dialect === 'sqlite' ? 10_000 : 2_500),
      )
    })
  })
}
