import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { RememberedCalls, rememberedDecision, type CallMemo } from './remembered-calls.js'
import type { BundleFact, NumberFact } from '../../domain/attestation.js'
import { POLICY } from '../../domain/policies.js'

const DEST = '12125551212'
const T0 = Date.parse('2026-11-28T12:00:00.000Z')
const YEAR_ON = '2027-11-28T00:00:00.000Z'

const sid = (prefix: string, c: string) => prefix + c.repeat(32)
const TOP = sid('AC', 't')
const SUB = sid('AC', 's')
const OTHER = sid('AC', 'o')

const bundle = (
  s: string,
  accountSid: string,
  policySid: string,
  linked: string[] = [],
  validUntil: string | null = YEAR_ON,
): BundleFact => ({ sid: s, accountSid, policySid, status: 'twilio-approved', validUntil, linkedBundleSids: linked })

/** An approved primary profile and a trust product linked to it. */
function pair(owner: string, c: string, trustValidUntil: string | null = YEAR_ON): [BundleFact, BundleFact] {
  const p = bundle(sid('BU', c), owner, POLICY.PRIMARY_PROFILE)
  return [p, bundle(sid('BU', c.toUpperCase()), owner, POLICY.SHAKEN_STIR, [p.sid], trustValidUntil)]
}

/** A remembered call of `accountSid` from `fromTn`, on `own` bundles (with its number) or not ours (without). */
function call(
  accountSid: string,
  parentSid: string | null,
  fromTn: string,
  family: readonly BundleFact[],
  own?: { readonly pn: string; readonly bundles: readonly BundleFact[] },
): CallMemo {
  const tn = '+' + fromTn
  const number: NumberFact | undefined = own && {
    sid: own.pn,
    phoneNumber: tn,
    accountSid,
    ownerParentSid: parentSid,
    origin: 'inventory',
    bundleSids: own.bundles.map((b) => b.sid),
  }
  const account = { sid: accountSid, parentSid, origid: '3f1c2e2a-8d4b-4b7e-9a8e-1f2d3c4b5a69' }
  return {
    accountSid,
    fromTn,
    tn,
    facts: { account, number, bundles: new Map((own?.bundles ?? []).map((b) => [b.sid, b])), family },
  }
}

/**
 * Four calls: `a` from TOP's own number on its family's bundles, `b` from a number of TOP's
 * that is not ours, `c` from a sub-account's number on its own bundles, `d` from another
 * customer's number.
 */
function world() {
  const topFamily = pair(TOP, 'p')
  const subPair = pair(SUB, 'q')
  const otherFamily = pair(OTHER, 'r')
  const calls = {
    a: call(TOP, null, '12125550101', topFamily, { pn: sid('PN', '1'), bundles: topFamily }),
    b: call(TOP, null, '12125550102', topFamily),
    c: call(SUB, TOP, '12125550103', topFamily, { pn: sid('PN', '3'), bundles: subPair }),
    d: call(OTHER, null, '12125550104', otherFamily, { pn: sid('PN', '4'), bundles: otherFamily }),
  }
  return { topFamily, subPair, otherFamily, calls }
}

type Key = 'a' | 'b' | 'c' | 'd'

/** The calls of `calls` still remembered. */
function held(r: RememberedCalls, calls: Record<Key, CallMemo>): Key[] {
  return (Object.keys(calls) as Key[]).filter((k) => r.get(calls[k].accountSid, calls[k].fromTn) === calls[k])
}

/** All four calls remembered, and how many filing entries each kind of drop must leave. */
function rememberAll() {
  const w = world()
  const r = new RememberedCalls(100)
  for (const m of Object.values(w.calls)) r.remember(m)
  return { ...w, r }
}

/** Filing entries a call alone leaves: its top account, its TN, and with a number its SID and bundles. */
const filedFor = (m: CallMemo) => 2 + (m.facts.number ? 1 + m.facts.number.bundleSids.length : 0)

const noTouch = { accounts: [], tns: [], numbers: [], bundles: [] }

describe('remembered calls', () => {
  it('files a call under the account and calling number as spelled, and a racing twin replaces it', () => {
    const { calls } = world()
    const r = new RememberedCalls(100)
    r.remember(calls.a)
    assert.equal(r.get(TOP, '12125550101'), calls.a)
    assert.equal(r.get(TOP, '+12125550101'), undefined, 'keyed by the spelling callers gave')
    assert.equal(r.get(SUB, '12125550101'), undefined, 'keyed by account')
    assert.deepEqual([r.size, r.filed], [1, filedFor(calls.a)])
    const twin = { ...calls.a, us: undefined }
    r.remember(twin)
    assert.equal(r.get(TOP, '12125550101'), twin)
    assert.deepEqual([r.size, r.filed], [1, filedFor(calls.a)], 'the replaced call left nothing filed')
    r.forget(calls.a)
    assert.equal(r.get(TOP, '12125550101'), twin, 'forgetting a replaced call leaves its successor')
    r.forget(twin)
    assert.deepEqual([r.size, r.filed], [0, 0])
  })

  it('a rejected bundle drops the calls from numbers on it, and only those', () => {
    const { r, calls, subPair } = rememberAll()
    r.forgetTouching({ ...noTouch, bundles: [subPair[1].sid] })
    assert.deepEqual(held(r, calls), ['a', 'b', 'd'])
    assert.equal(r.filed, filedFor(calls.a) + filedFor(calls.b) + filedFor(calls.d))
  })

  it("a change to a top account's family drops every call decided on it, its sub-accounts' too", () => {
    const { r, calls } = rememberAll()
    r.forgetTop(TOP)
    assert.deepEqual(held(r, calls), ['d'])
    assert.equal(r.filed, filedFor(calls.d))
  })

  it('a deleted assignment or a released number (its number scope) drops the calls from that number', () => {
    const { r, calls } = rememberAll()
    r.forgetTouching({ ...noTouch, numbers: [calls.a.facts.number!.sid] })
    assert.deepEqual(held(r, calls), ['b', 'c', 'd'])
  })

  it('a number that became ours (its TN scope) drops the call that remembered it as not ours', () => {
    const { r, calls } = rememberAll()
    r.forgetTouching({ ...noTouch, tns: ['+12125550102'] })
    assert.deepEqual(held(r, calls), ['a', 'c', 'd'])
  })

  it("an account change (a suspension) drops that account's calls only", () => {
    const { r, calls } = rememberAll()
    r.forgetTouching({ ...noTouch, accounts: [SUB] })
    assert.deepEqual(held(r, calls), ['a', 'b', 'd'])
  })

  it('a change that names nothing drops everything', () => {
    const { r, calls } = rememberAll()
    r.clear()
    assert.deepEqual([held(r, calls), r.size, r.filed], [[], 0, 0])
  })

  it('stays within its bound: the call past it clears the others', () => {
    const { calls } = world()
    const r = new RememberedCalls(2)
    r.remember(calls.a)
    r.remember(calls.b)
    assert.equal(r.size, 2)
    r.remember(calls.c)
    assert.deepEqual(held(r, calls), ['c'])
    assert.deepEqual([r.size, r.filed], [1, filedFor(calls.c)])
  })

  it('a remembered decision holds until the first expiry among its facts, then is decided again', () => {
    const expiry = '2026-12-01T00:00:00.000Z'
    const family = pair(TOP, 'p', expiry)
    const m = call(TOP, null, '12125550101', family, { pn: sid('PN', '1'), bundles: family })
    const at = (ms: number) => rememberedDecision(m, DEST, new Date(ms))
    const first = at(T0)
    assert.equal(first.attest, 'A')
    assert.equal(at(Date.parse(expiry) - 1), first, 'reused up to the last millisecond')
    const expired = at(Date.parse(expiry))
    assert.equal(expired.attest, 'C', 'the trust product expired: not A, and no B from the same family')
    assert.match(expired.missingForA.join(' '), /expired/)
    const again = at(T0)
    assert.equal(again.attest, 'A', 'a clock set back is decided again, not served the later answer')
    assert.equal(
      rememberedDecision(m, '442079460000', new Date(T0)).attest,
      undefined,
      'not a US destination: not signed',
    )
    assert.equal(at(T0 + 1), again, 'a non-US destination leaves the remembered US decision as it was')
  })
})
