/**
 * The attestation index's remembered calls: per account and calling number, the facts a
 * decision was made from and its last decision to a US destination, filed under everything
 * they were built from so a store change drops exactly the calls it could alter.
 *
 * This is where a stale decision would sign higher than the facts allow (DESIGN §4), so every
 * way a remembered decision stops being true has its own path here: a store change that names
 * the call's account, number (an assignment made or deleted, a release), calling TN (a number
 * that became ours), bundles (a rejection) or top account's family, an expiry in between
 * (checked against the decision's own clock reading), or a change that names nothing (all).
 */
import { decide, decisionStableUntil, type Decision, type DecisionFacts } from '../../domain/attestation.js'
import { isUsNumber } from '../../domain/e164.js'
import { Filing } from './filing.js'

/**
 * A call's facts and its last decision to a US destination (which does not depend on the
 * destination), kept while the clock stays in [from, until): the facts only change with the
 * store version, which drops the memos built from what changed, and the decision only with an
 * expiry in between.
 */
export interface CallMemo {
  readonly accountSid: string
  /** Its key under the account, as callers gave it. */
  readonly fromTn: string
  /** The calling number in E.164, as its fact is held (a `tn` change names it so). */
  readonly tn: string
  readonly facts: DecisionFacts
  us?: { readonly decision: Decision; readonly from: number; readonly until: number }
}

/** What one store change touched, by kind (see `scope` in decision-version.repo.ts); families go by {@link RememberedCalls.forgetTop}. */
export interface Touched {
  readonly accounts: Iterable<string>
  readonly tns: Iterable<string>
  readonly numbers: Iterable<string>
  readonly bundles: Iterable<string>
}

/**
 * The decision for a remembered call to `toTn` at `now`, reused while no expiry falls in
 * between; decided afresh for a clock reading outside the span it was made for (a clock set
 * back included) and for destinations outside the US.
 */
export function rememberedDecision(memo: CallMemo, toTn: string, now: Date): Decision {
  if (!isUsNumber(toTn)) return decide(memo.facts, toTn, now)
  const ms = now.getTime()
  let us = memo.us
  if (!us || ms < us.from || ms >= us.until) {
    us = {
      decision: Object.freeze(decide(memo.facts, toTn, now)),
      from: ms,
      until: decisionStableUntil(memo.facts, ms),
    }
    memo.us = us
  }
  return us.decision
}

/**
 * The remembered calls of one index, at most `max` of them: they are rebuilt from the index's
 * store-backed entries without a store read, so when full they are all dropped at once rather
 * than tracked for age.
 */
export class RememberedCalls {
  /** Account SID → calling TN → memo (nested: the hot path builds no joined key). */
  #calls = new Map<string, Map<string, CallMemo>>()
  #count = 0
  /** What each call was built from, so a change finds its calls without walking them all. */
  #byTop = new Filing<CallMemo>()
  #byTn = new Filing<CallMemo>()
  #byNumber = new Filing<CallMemo>()
  #byBundle = new Filing<CallMemo>()

  constructor(readonly max: number) {}

  /** Calls remembered. */
  get size(): number {
    return this.#count
  }

  /** Entries of the maps that file calls by what they were built from (for tests). */
  get filed(): number {
    return this.#byTop.size + this.#byTn.size + this.#byNumber.size + this.#byBundle.size
  }

  /** The call of `accountSid` from `fromTn`, spelled as it was remembered. */
  get(accountSid: string, fromTn: string): CallMemo | undefined {
    return this.#calls.get(accountSid)?.get(fromTn)
  }

  /** Remembers a call, replacing one held for the same key (two loads of one call may race). */
  remember(m: CallMemo): void {
    if (this.#count >= this.max) this.clear()
    const old = this.get(m.accountSid, m.fromTn)
    if (old) this.forget(old)
    let byTn = this.#calls.get(m.accountSid)
    if (!byTn) this.#calls.set(m.accountSid, (byTn = new Map()))
    byTn.set(m.fromTn, m)
    this.#count++
    for (const [filing, key] of this.#keysOf(m)) filing.add(key, m)
  }

  /** Forgets `m`, if it is the call remembered under its key. */
  forget(m: CallMemo): void {
    const byTn = this.#calls.get(m.accountSid)
    if (byTn?.get(m.fromTn) !== m) return
    byTn.delete(m.fromTn)
    if (byTn.size === 0) this.#calls.delete(m.accountSid)
    this.#count--
    for (const [filing, key] of this.#keysOf(m)) filing.delete(key, m)
  }

  /**
   * Forgets the calls built from anything `t` names. Clearing them all made every decision-
   * relevant write anywhere cost each process a rebuild of every call it remembered; walking
   * them all to choose cost 0.1–0.15 s per change with 250k calls (docs/scaling.md).
   */
  forgetTouching(t: Touched): void {
    for (const acct of t.accounts) this.#forgetAll(this.#calls.get(acct)?.values())
    for (const tn of t.tns) this.#forgetAll(this.#byTn.get(tn))
    for (const sid of t.numbers) this.#forgetAll(this.#byNumber.get(sid))
    for (const sid of t.bundles) this.#forgetAll(this.#byBundle.get(sid))
  }

  /** Forgets the calls decided on `top`'s rule-3 family (its own and its sub-accounts'). */
  forgetTop(top: string): void {
    this.#forgetAll(this.#byTop.get(top))
  }

  /** Forgets every call. */
  clear(): void {
    this.#calls = new Map()
    this.#count = 0
    this.#byTop = new Filing()
    this.#byTn = new Filing()
    this.#byNumber = new Filing()
    this.#byBundle = new Filing()
  }

  /**
   * The entries a call is filed under: its facts are its account, its number (or the absence
   * of one, under its TN), that number's bundles and its top account's family.
   */
  #keysOf(m: CallMemo): [Filing<CallMemo>, string][] {
    const { account, number } = m.facts
    const keys: [Filing<CallMemo>, string][] = [
      [this.#byTop, account.parentSid ?? account.sid],
      [this.#byTn, m.tn],
    ]
    if (number) {
      keys.push([this.#byNumber, number.sid])
      for (const sid of number.bundleSids) keys.push([this.#byBundle, sid])
    }
    return keys
  }

  #forgetAll(memos: Iterable<CallMemo> | undefined): void {
    if (memos) for (const m of [...memos]) this.forget(m)
  }
}
