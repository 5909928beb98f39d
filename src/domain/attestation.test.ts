import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { decide, type BundleFact, type DecisionFacts } from './attestation.js'
import { POLICY } from './policies.js'
import { UNVERIFIED_STEP } from './number-origin.js'

const NOW = new Date('2026-11-28T12:00:00Z')
const US = '12125551212'
const ACCT = 'AC' + 'a'.repeat(32)
const PARENT = 'AC' + 'p'.repeat(32)
const OTHER = 'AC' + 'o'.repeat(32)

const bundle = (
  sid: string,
  accountSid: string,
  policySid: string,
  status = 'twilio-approved',
  linked: string[] = [],
  validUntil: string | null = '2027-11-28T00:00:00.000Z',
): BundleFact => ({ sid, accountSid, policySid, status, validUntil, linkedBundleSids: linked })

interface Row {
  readonly name: string
  readonly parent?: string | null
  readonly numberOwner?: string | null
  readonly numberOwnerParent?: string | null
  readonly numberOn?: string[]
  /** The number's right-to-use origin (default inventory). */
  readonly origin?: string
  readonly bundles: BundleFact[]
  readonly to?: string
  readonly expect: 'A' | 'B' | 'C' | undefined
}

const P = (status?: string, owner = ACCT, valid?: string | null) =>
  bundle('BUprof', owner, POLICY.PRIMARY_PROFILE, status, [], valid)
const T = (status?: string, owner = ACCT, linked = ['BUprof'], valid?: string | null) =>
  bundle('BUtrust', owner, POLICY.SHAKEN_STIR, status, linked, valid)

const ROWS: Row[] = [
  { name: 'all approved, number on both', numberOn: ['BUprof', 'BUtrust'], bundles: [P(), T()], expect: 'A' },
  {
    name: 'non-US destination (Canada, +1)',
    numberOn: ['BUprof', 'BUtrust'],
    bundles: [P(), T()],
    to: '14165551234',
    expect: undefined,
  },
  {
    name: 'non-US destination (Jamaica, +1)',
    numberOn: ['BUprof', 'BUtrust'],
    bundles: [P(), T()],
    to: '18765551234',
    expect: undefined,
  },
  {
    name: 'non-US destination (UK)',
    numberOn: ['BUprof', 'BUtrust'],
    bundles: [P(), T()],
    to: '442079460000',
    expect: undefined,
  },
  { name: 'number only on the profile', numberOn: ['BUprof'], bundles: [P(), T()], expect: 'B' },
  { name: 'number on no bundle', numberOn: [], bundles: [P(), T()], expect: 'B' },
  { name: 'number not ours', numberOwner: null, bundles: [P(), T()], expect: 'B' },
  {
    name: 'number of an unrelated account',
    numberOwner: OTHER,
    numberOn: ['BUprof', 'BUtrust'],
    bundles: [P(), T()],
    expect: 'B',
  },
  { name: 'trust product pending', numberOn: ['BUprof', 'BUtrust'], bundles: [P(), T('pending-review')], expect: 'C' },
  {
    name: 'trust product rejected',
    numberOn: ['BUprof', 'BUtrust'],
    bundles: [P(), T('twilio-rejected')],
    expect: 'C',
  },
  {
    name: 'trust product expired',
    numberOn: ['BUprof', 'BUtrust'],
    bundles: [P(), T(undefined, ACCT, ['BUprof'], '2026-11-28T11:59:59.000Z')],
    expect: 'C',
  },
  {
    name: 'profile expired',
    numberOn: ['BUprof', 'BUtrust'],
    bundles: [P(undefined, ACCT, '2026-01-01T00:00:00.000Z'), T()],
    expect: 'C',
  },
  { name: 'profile in review', numberOn: ['BUprof', 'BUtrust'], bundles: [P('in-review'), T()], expect: 'C' },
  { name: 'nothing at all', numberOn: [], bundles: [], expect: 'C' },
  {
    name: 'trust product linked to another profile',
    numberOn: ['BUprof', 'BUtrust', 'BUsec'],
    bundles: [P(), bundle('BUsec', ACCT, POLICY.SECONDARY_PROFILE), T(undefined, ACCT, ['BUother'])],
    expect: 'C',
  },
  // ISV with sub-accounts: the sub-account calls with its own number on its secondary profile.
  {
    name: 'ISV sub-account, secondary profile + trust product approved',
    parent: PARENT,
    numberOn: ['BUsec', 'BUtsub'],
    bundles: [
      P(undefined, PARENT),
      T(undefined, PARENT),
      bundle('BUsec', ACCT, POLICY.SECONDARY_PROFILE, undefined, ['BUprof']),
      bundle('BUtsub', ACCT, POLICY.SHAKEN_STIR, undefined, ['BUsec']),
    ],
    expect: 'A',
  },
  {
    name: 'ISV sub-account, secondary pending: the parent gives B',
    parent: PARENT,
    numberOn: ['BUsec', 'BUtsub'],
    bundles: [
      P(undefined, PARENT),
      T(undefined, PARENT),
      bundle('BUsec', ACCT, POLICY.SECONDARY_PROFILE, 'pending-review', ['BUprof']),
      bundle('BUtsub', ACCT, POLICY.SHAKEN_STIR, undefined, ['BUsec']),
    ],
    expect: 'B',
  },
  {
    name: "sub-account number on the parent's bundles",
    parent: PARENT,
    numberOn: ['BUprof', 'BUtrust'],
    bundles: [P(undefined, PARENT), T(undefined, PARENT)],
    expect: 'A',
  },
  {
    name: "parent signs with a sub-account's number on the parent's bundles",
    numberOwner: 'AC' + 's'.repeat(32),
    numberOwnerParent: ACCT,
    numberOn: ['BUprof', 'BUtrust'],
    bundles: [P(), T()],
    expect: 'A',
  },
  {
    name: 'bundles of an unrelated account never count',
    numberOn: ['BUprof', 'BUtrust'],
    bundles: [P(undefined, OTHER), T(undefined, OTHER)],
    expect: 'C',
  },
  {
    name: 'B needs a primary profile, a secondary is not enough',
    numberOn: [],
    bundles: [bundle('BUsec', ACCT, POLICY.SECONDARY_PROFILE), T(undefined, ACCT, ['BUsec'])],
    expect: 'C',
  },
  // Right-to-use origins (DESIGN §2): only a verified origin may reach A; the rest are capped at B.
  {
    name: 'origin inventory (bought), on both',
    origin: 'inventory',
    numberOn: ['BUprof', 'BUtrust'],
    bundles: [P(), T()],
    expect: 'A',
  },
  {
    name: 'origin operator (placed or confirmed), on both',
    origin: 'operator',
    numberOn: ['BUprof', 'BUtrust'],
    bundles: [P(), T()],
    expect: 'A',
  },
  {
    name: 'origin hosted, on both',
    origin: 'hosted',
    numberOn: ['BUprof', 'BUtrust'],
    bundles: [P(), T()],
    expect: 'A',
  },
  {
    name: 'origin unverified, on both: at most B',
    origin: 'unverified',
    numberOn: ['BUprof', 'BUtrust'],
    bundles: [P(), T()],
    expect: 'B',
  },
  {
    name: "origin unverified, sub-account number on the parent's bundles: at most B",
    origin: 'unverified',
    parent: PARENT,
    numberOn: ['BUprof', 'BUtrust'],
    bundles: [P(undefined, PARENT), T(undefined, PARENT)],
    expect: 'B',
  },
  {
    name: 'origin unverified, nothing approved',
    origin: 'unverified',
    numberOn: ['BUprof', 'BUtrust'],
    bundles: [P('draft'), T('draft')],
    expect: 'C',
  },
  {
    name: 'an origin the engine does not know counts as unverified',
    origin: 'customer',
    numberOn: ['BUprof', 'BUtrust'],
    bundles: [P(), T()],
    expect: 'B',
  },
  { name: 'released number (no longer held)', numberOwner: null, bundles: [P(), T()], expect: 'B' },
]

describe('attestation engine (DESIGN §4)', () => {
  for (const r of ROWS) {
    it(r.name, () => {
      const owner = r.numberOwner === undefined ? ACCT : r.numberOwner
      const facts: DecisionFacts = {
        account: { sid: ACCT, parentSid: r.parent ?? null, origid: '123e4567-e89b-12d3-a456-426655440000' },
        number:
          owner === null
            ? undefined
            : {
                sid: 'PN1',
                phoneNumber: '+12155550121',
                accountSid: owner,
                ownerParentSid: r.numberOwnerParent ?? null,
                origin: r.origin ?? 'inventory',
                bundleSids: r.numberOn ?? [],
              },
        bundles: new Map(r.bundles.map((b) => [b.sid, b])),
        family: r.bundles,
      }
      const d = decide(facts, r.to ?? US, NOW)
      assert.equal(d.attest, r.expect, JSON.stringify(d))
      assert.equal(d.origid, facts.account.origid)
      if (d.attest === 'A') assert.deepEqual(d.missingForA, [])
      if (d.attest === 'B' || d.attest === 'C')
        assert.ok(d.missingForA.length > 0 && d.reasons.length > 0, 'explains how to reach A')
      if (d.attest === undefined) assert.equal(d.rule, 'not-us-destination')
    })
  }

  it('names the bundles involved in A and the concrete step when pending', () => {
    const facts: DecisionFacts = {
      account: { sid: ACCT, parentSid: null, origid: 'x' },
      number: {
        sid: 'PN1',
        phoneNumber: '+12155550121',
        accountSid: ACCT,
        ownerParentSid: null,
        origin: 'inventory',
        bundleSids: ['BUprof', 'BUtrust'],
      },
      bundles: new Map([P(), T('pending-review')].map((b) => [b.sid, b])),
      family: [P(), T('pending-review')],
    }
    const d = decide(facts, US, NOW)
    assert.equal(d.rule, 'gateway-attestation')
    assert.ok(d.missingForA.some((m) => m.includes('BUtrust') && m.includes('wait for the review')))
  })

  it('an unverified number says what is missing, first, and keeps the bundle steps', () => {
    const facts: DecisionFacts = {
      account: { sid: ACCT, parentSid: null, origid: 'x' },
      number: {
        sid: 'PN1',
        phoneNumber: '+12155550121',
        accountSid: ACCT,
        ownerParentSid: null,
        origin: 'unverified',
        bundleSids: ['BUprof'],
      },
      bundles: new Map([P(), T()].map((b) => [b.sid, b])),
      family: [P(), T()],
    }
    const d = decide(facts, US, NOW)
    assert.equal(d.attest, 'B')
    assert.equal(d.missingForA[0], UNVERIFIED_STEP)
    assert.match(d.reasons[0]!, /origin unverified/)
    assert.ok(
      d.missingForA.some((m) => m.includes('SHAKEN/STIR trust product')),
      'the bundle steps are still listed',
    )
  })
})

/** One explainer case: the steps to reach A and to reach B, each about its own rule only. */
interface StepsRow {
  readonly name: string
  readonly parent?: string
  readonly numberOn: string[]
  readonly bundles: BundleFact[]
  readonly expect: 'A' | 'B' | 'C'
  /** Patterns every step list must match (some step each), and patterns no step may match. */
  readonly forA: { readonly some: RegExp[]; readonly none: RegExp[] }
  readonly forB: { readonly some: RegExp[]; readonly none: RegExp[] }
}

const SEC = (status?: string) => bundle('BUsec', ACCT, POLICY.SECONDARY_PROFILE, status, ['BUprof'])
const TSUB = (status?: string) => bundle('BUtsub', ACCT, POLICY.SHAKEN_STIR, status, ['BUsec'])
const NOTHING = { some: [], none: [/./] }

const STEPS: StepsRow[] = [
  {
    name: 'direct, A: no step for A nor B',
    numberOn: ['BUprof', 'BUtrust'],
    bundles: [P(), T()],
    expect: 'A',
    forA: NOTHING,
    forB: NOTHING,
  },
  {
    name: 'direct, number only on the profile: B, one step to A, none to B',
    numberOn: ['BUprof'],
    bundles: [P(), T()],
    expect: 'B',
    forA: { some: [/assign PN1 to a SHAKEN\/STIR trust product/], none: [/primary business profile/] },
    forB: NOTHING,
  },
  {
    name: 'direct, both drafts: C, A steps name the bundles on the number, B steps the primary profile',
    numberOn: ['BUprof', 'BUtrust'],
    bundles: [P('draft'), T('draft')],
    expect: 'C',
    forA: { some: [/business profile BUprof is a draft/, /trust product BUtrust is a draft/], none: [/primary/] },
    forB: { some: [/primary business profile BUprof is a draft/, /trust product BUtrust is a draft/], none: [/PN1/] },
  },
  {
    name: 'ISV parent, A with its own bundles: nothing to do',
    numberOn: ['BUprof', 'BUtrust'],
    bundles: [P(), T()],
    expect: 'A',
    forA: NOTHING,
    forB: NOTHING,
  },
  {
    name: 'sub-account, A through its own secondary profile + trust product, the ISV has no trust product',
    parent: PARENT,
    numberOn: ['BUsec', 'BUtsub'],
    bundles: [P(undefined, PARENT), SEC(), TSUB()],
    expect: 'A',
    forA: NOTHING,
    forB: NOTHING,
  },
  {
    name: 'sub-account, own trust product pending, the ISV has no trust product: no ISV step under A',
    parent: PARENT,
    numberOn: ['BUsec', 'BUtsub'],
    bundles: [P(undefined, PARENT), SEC(), TSUB('pending-review')],
    expect: 'C',
    forA: { some: [/trust product BUtsub is pending-review/], none: [new RegExp(PARENT), /create a SHAKEN/] },
    forB: {
      some: [new RegExp(`your ISV \\(account ${PARENT}\\) must act: create a SHAKEN/STIR trust product`)],
      none: [/BUtsub/],
    },
  },
  {
    name: 'sub-account, own bundles pending, the ISV gives B: steps for A only',
    parent: PARENT,
    numberOn: ['BUsec', 'BUtsub'],
    bundles: [P(undefined, PARENT), T(undefined, PARENT), SEC('in-review'), TSUB()],
    expect: 'B',
    forA: { some: [/business profile BUsec is in-review/], none: [new RegExp(PARENT)] },
    forB: NOTHING,
  },
]

describe('explainer: steps to reach A and to reach B, apart', () => {
  for (const r of STEPS) {
    it(r.name, () => {
      const facts: DecisionFacts = {
        account: { sid: ACCT, parentSid: r.parent ?? null, origid: 'x' },
        number: {
          sid: 'PN1',
          phoneNumber: '+12155550121',
          accountSid: ACCT,
          ownerParentSid: null,
          origin: 'inventory',
          bundleSids: r.numberOn,
        },
        bundles: new Map(r.bundles.map((b) => [b.sid, b])),
        family: r.bundles,
      }
      const d = decide(facts, US, NOW)
      assert.equal(d.attest, r.expect, JSON.stringify(d))
      for (const [steps, want] of [
        [d.missingForA, r.forA],
        [d.missingForB, r.forB],
      ] as const) {
        for (const re of want.some)
          assert.ok(
            steps.some((s) => re.test(s)),
            `${re} in ${JSON.stringify(steps)}`,
          )
        for (const re of want.none) assert.ok(!steps.some((s) => re.test(s)), `no ${re} in ${JSON.stringify(steps)}`)
        if (want === NOTHING) assert.deepEqual(steps, [])
      }
    })
  }
})
