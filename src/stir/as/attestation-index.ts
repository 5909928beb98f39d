/**
 * The attestation index: in-memory maps (number → owner and assigned bundles, bundle → status
 * and links, account → parent, account → its primary profiles and trust products) filled from
 * the store on demand and bounded ({@link IndexLimits}), so a decision is a few map lookups and
 * a pure function call, remembered per call until the facts or the clock say otherwise.
 *
 * Correctness first (DESIGN §4: "no stale cache may sign a higher level than the facts
 * allow"): before every decision the index confirms the store's decision version with a read
 * that started after the call arrived (store-version.ts: a counter bumped in the same
 * transaction as every decision-relevant write; concurrent calls share one read). When it
 * moved, the index drops the entries the writes since its version touched (their scopes, read
 * from `decision_changes` in one query) — or everything, when a write named no scope or the
 * changes are no longer all there. Expiry (`valid_until`) is checked against the clock at
 * decision time, not when an entry was loaded. If the version cannot be read, the decision
 * fails closed with 503: nothing is ever signed from an unverified index.
 */
import type { Executor, Store } from '../../store/db.js'
import { storeVersionOf, type StoreVersion } from '../../store/store-version.js'
import { parseScope, readDecisionChanges, scope, type StoreVersions } from '../../store/decision-version.repo.js'
import {
  loadAccountBundleFacts, loadAccountFact, loadActiveAccountFacts, loadBundleFacts, loadFamilies, loadNumberFact, type AccountFactRow,
} from '../../store/attestation-facts.repo.js'
import { decide, decisionStableUntil, isUsNumber, type BundleFact, type Decision, type DecisionFacts, type NumberFact } from '../../domain/attestation.js'
import type { Clock } from '../../domain/time.js'
import { Filing } from './filing.js'

export interface AttestationIndexOptions {
  readonly store: Pick<Store, 'db' | 'sqlite'>
  readonly clock: Clock
  /** The process's version view, shared with the credential cache (default: one of its own). */
  readonly version?: StoreVersion
  /** Memory bounds (default {@link INDEX_LIMITS}). */
  readonly limits?: Partial<IndexLimits>
}

/**
 * How many entries the index holds per kind. Callers choose `orig` freely (numbers that are not
 * ours get B), so without bounds one customer could grow a process's memory without end. Store-
 * backed entries are evicted oldest first; remembered calls, which are rebuilt from them
 * without a store read, are dropped all at once when full. `npm run bench` prints the heap a
 * remembered call takes (number, bundles and decision included).
 */
export interface IndexLimits {
  readonly accounts: number
  readonly numbers: number
  readonly bundles: number
  readonly calls: number
}

/** Defaults; `STIRHUB_INDEX_MAX_NUMBERS` sets numbers, bundles and calls (sti-as.ts). */
export const INDEX_LIMITS: IndexLimits = { accounts: 200_000, numbers: 500_000, bundles: 500_000, calls: 250_000 }

/** A decision with the facts it was made from (for explanations). */
export interface Explained {
  readonly decision: Decision
  readonly facts: DecisionFacts
}

/**
 * A call's facts and its last decision to a US destination (which does not depend on the
 * destination), kept while the clock stays in [from, until): the facts only change with the
 * store version, which drops the memos built from what changed, and the decision only with an
 * expiry in between.
 */
interface CallMemo {
  readonly accountSid: string
  /** Its key under the account, as callers gave it. */
  readonly fromTn: string
  /** The calling number in E.164, as its fact is held (a `tn` change names it so). */
  readonly tn: string
  readonly facts: DecisionFacts
  us?: { readonly decision: Decision; readonly from: number; readonly until: number }
}


/** What one version move dropped, by kind (see `scope` in decision-version.repo.ts). */
interface Touched {
  readonly bundles: Set<string>
  readonly families: Set<string>
  readonly accounts: Set<string>
  readonly numbers: Set<string>
  readonly tns: Set<string>
}

/** Most accounts {@link AttestationIndex.prewarm} loads. */
export const PREWARM_ACCOUNTS = 100_000

/** Builds and keeps the index for one process. */
export class AttestationIndex {
  readonly #db: Executor
  readonly #clock: Clock
  readonly #store: StoreVersion
  #version = -1
  /** Bumped on every drop: a load that started in an older epoch is not stored. */
  #epoch = 0
  #accounts = new Map<string, AccountFactRow>()
  #numbers = new Map<string, NumberFact | null>()
  #bundles = new Map<string, BundleFact | null>()
  #accountBundles = new Map<string, readonly string[]>()
  /** Top-level account → its rule-3 set as facts, shared by its calls (dropped with them). */
  #families = new Map<string, readonly BundleFact[]>()
  /** Bundle SID → the top account whose held family has it. */
  #familyOf = new Map<string, string>()
  /** Number SID → the TN its fact is held under (changes name numbers by SID). */
  #numberTns = new Map<string, string>()
  /** Account SID → calling TN → memo. */
  #calls = new Map<string, Map<string, CallMemo>>()
  #callCount = 0
  /** What each remembered call was built from, so a change finds its calls without walking them all. */
  #memosByTop = new Filing<CallMemo>()
  #memosByTn = new Filing<CallMemo>()
  #memosByNumber = new Filing<CallMemo>()
  #memosByBundle = new Filing<CallMemo>()
  /** Version moves, applied one after the other. */
  #moving: Promise<void> = Promise.resolve()
  #loads = 0
  readonly #limits: IndexLimits

  constructor(opts: AttestationIndexOptions) {
    this.#limits = { ...INDEX_LIMITS, ...opts.limits }
    this.#db = opts.store.db
    this.#clock = opts.clock
    this.#store = opts.version ?? storeVersionOf(opts.store)
  }

  /** The decision version the index is at (for tests and metrics). */
  get version(): number { return this.#version }

  /** Store reads made to fill the index so far (for tests and metrics). */
  get loads(): number { return this.#loads }

  /** Entries of the maps that file remembered calls and families by what they were built from (for tests). */
  get filed(): number {
    let n = this.#familyOf.size
    for (const f of [this.#memosByTop, this.#memosByTn, this.#memosByNumber, this.#memosByBundle]) n += f.size
    return n
  }

  /** Entries held per kind (for tests and metrics). */
  get sizes(): Record<keyof IndexLimits, number> {
    return { accounts: this.#accounts.size, numbers: this.#numbers.size, bundles: this.#bundles.size, calls: this.#callCount }
  }

  /**
   * Decides a call of `accountSid` from E.164/canonical `fromTn` to `toTn`. Undefined when the
   * account does not exist or is not active. Throws 503 (UNAVAILABLE) when the store cannot
   * confirm the index is current. `ticket`: the version ticket taken when the call arrived
   * (default: now).
   */
  async explain(accountSid: string, fromTn: string, toTn: string, ticket?: number): Promise<Explained | undefined> {
    await this.fresh(ticket)
    const memo = await this.#memo(accountSid, fromTn)
    return memo && { decision: this.#decision(memo, toTn), facts: memo.facts }
  }

  /** Like {@link explain}, the decision only. `now`: the caller's clock reading, if it has one. */
  async decide(accountSid: string, fromTn: string, toTn: string, ticket?: number, now?: Date): Promise<Decision | undefined> {
    await this.fresh(ticket)
    const memo = await this.#memo(accountSid, fromTn)
    return memo && this.#decision(memo, toTn, now)
  }

  /**
   * The signing hot path, with no await: the decision of a remembered call, or undefined when
   * the call is not remembered (then use {@link decide}). Only right after `fresh()` resolved
   * for the call's ticket, in the same microtask: that is what makes the memo current.
   */
  decideRemembered(accountSid: string, fromTn: string, toTn: string, now?: Date): Decision | undefined {
    const memo = this.#calls.get(accountSid)?.get(fromTn)
    return memo && this.#decision(memo, toTn, now)
  }

  /** The decision for a memoized call, reused while no expiry falls in between. */
  #decision(memo: CallMemo, toTn: string, now = this.#clock()): Decision {
    if (!isUsNumber(toTn)) return decide(memo.facts, toTn, now)
    const ms = now.getTime()
    let us = memo.us
    if (!us || ms < us.from || ms >= us.until) {
      us = { decision: Object.freeze(decide(memo.facts, toTn, now)), from: ms, until: decisionStableUntil(memo.facts, ms) }
      memo.us = us
    }
    return us.decision
  }

  /**
   * Who holds one of our numbers: its account and that account's parent; undefined when it is
   * not ours, or its account is not active (a suspended account's calls are not signed for).
   */
  async holderOf(tn: string, ticket?: number): Promise<Pick<NumberFact, 'accountSid' | 'ownerParentSid'> | undefined> {
    await this.fresh(ticket)
    const n = await this.number(e164(tn))
    return n && (await this.account(n.accountSid))?.status === 'active' ? n : undefined
  }

  /**
   * The effective status of an account (its parent's when that is worse), or undefined when it
   * does not exist: why a call was not decided for.
   */
  async statusOf(sid: string, ticket?: number): Promise<string | undefined> {
    await this.fresh(ticket)
    return (await this.account(sid))?.status
  }

  /**
   * Who holds one of our numbers and that account's effective status, active or not (the SIP
   * front's account when no X-Account-Sid is given); undefined when it is not ours.
   */
  async holderStatus(tn: string, ticket?: number): Promise<{ readonly accountSid: string; readonly status: string } | undefined> {
    await this.fresh(ticket)
    const n = await this.number(e164(tn))
    const status = n && (await this.account(n.accountSid))?.status
    return n && status ? { accountSid: n.accountSid, status } : undefined
  }

  /**
   * Loads the active accounts and the top-level accounts' rule-3 sets before the process takes
   * traffic, so the first calls after a start do not each wait on store reads. Numbers stay on
   * demand (there may be millions). Loaded after a version read, like any entry.
   */
  async prewarm(maxAccounts = PREWARM_ACCOUNTS): Promise<{ readonly accounts: number; readonly bundles: number }> {
    await this.fresh()
    const epoch = this.#epoch
    this.#loads += 2
    const accounts = await loadActiveAccountFacts(this.#db, maxAccounts)
    const tops = accounts.filter((a) => a.parentSid === null).map((a) => a.sid)
    const families = await loadFamilies(this.#db, tops)
    if (epoch !== this.#epoch) return { accounts: 0, bundles: 0 }
    let bundles = 0
    for (const a of accounts) setBounded(this.#accounts, a.sid, a, this.#limits.accounts)
    for (const sid of tops) bundles += this.#keepFamily(sid, families.get(sid) ?? []).length
    return { accounts: accounts.length, bundles }
  }

  /** Drops every entry (the store changed). */
  invalidate(): void {
    this.#epoch++
    this.#accounts = new Map()
    this.#numbers = new Map()
    this.#numberTns = new Map()
    this.#bundles = new Map()
    this.#accountBundles = new Map()
    this.#families = new Map()
    this.#familyOf = new Map()
    this.#dropCalls()
  }

  /** Drops the entries `scopes` name (decision-version.repo.ts), and the memoized calls built from them. */
  #drop(scopes: readonly string[]): void {
    const t: Touched = { bundles: new Set(), families: new Set(), accounts: new Set(), numbers: new Set(), tns: new Set() }
    for (const s of scopes) {
      const p = parseScope(s)
      if (!p) return this.invalidate()
      switch (p.kind) {
        case 'bundle': {
          // The family holding it, if one is held (a family holds only its top account's own bundles).
          const top = this.#familyOf.get(p.id)
          if (top !== undefined) t.families.add(top)
          this.#bundles.delete(p.id)
          t.bundles.add(p.id)
          break
        }
        case 'family': this.#accountBundles.delete(p.id); t.families.add(p.id); break
        case 'account': this.#accounts.delete(p.id); t.accounts.add(p.id); break
        case 'tn': this.#numbers.delete(p.id); t.tns.add(p.id); break
        case 'number': {
          const tn = this.#numberTns.get(p.id)
          if (tn !== undefined) this.#numbers.delete(tn)
          this.#numberTns.delete(p.id)
          t.numbers.add(p.id)
          break
        }
      }
    }
    this.#epoch++
    this.#dropCallsTouching(t)
  }

  /**
   * Drops the rule-3 families and remembered calls built from anything `t` names, found
   * through the maps that file each call by what it was built from, and keeps the rest.
   * Clearing them all made every decision-relevant write anywhere cost each process a rebuild
   * of every call it remembered; walking them all to choose cost 0.1–0.15 s per change with
   * 250k calls (docs/scaling.md). A memo's facts are its account, its number (or the absence
   * of one), that number's bundles and its top account's family; a family is its top
   * account's bundle list and those bundles.
   */
  #dropCallsTouching(t: Touched): void {
    for (const top of t.families) this.#dropFamily(top)
    for (const acct of t.accounts) this.#forgetAll(this.#calls.get(acct)?.values())
    for (const tn of t.tns) this.#forgetAll(this.#memosByTn.get(tn))
    for (const sid of t.numbers) this.#forgetAll(this.#memosByNumber.get(sid))
    for (const sid of t.bundles) this.#forgetAll(this.#memosByBundle.get(sid))
  }

  /** The reverse-map entries a memo is filed under. */
  #keysOf(m: CallMemo): [Filing<CallMemo>, string][] {
    const { account, number } = m.facts
    const keys: [Filing<CallMemo>, string][] = [[this.#memosByTop, account.parentSid ?? account.sid], [this.#memosByTn, m.tn]]
    if (number) {
      keys.push([this.#memosByNumber, number.sid])
      for (const sid of number.bundleSids) keys.push([this.#memosByBundle, sid])
    }
    return keys
  }

  /** Keeps a top account's rule-3 family, filing its bundles; a family bounded out takes its calls with it. */
  #keepFamilyFacts(top: string, family: readonly BundleFact[]): void {
    setBounded(this.#families, top, family, this.#limits.accounts, (evicted, was) => this.#dropFamily(evicted, was))
    for (const b of family) this.#familyOf.set(b.sid, top)
  }

  /** Drops a family (`family`: as it was held, when the bound already removed it) and the calls built from it. */
  #dropFamily(top: string, family = this.#families.get(top)): void {
    for (const b of family ?? []) if (this.#familyOf.get(b.sid) === top) this.#familyOf.delete(b.sid)
    this.#families.delete(top)
    this.#forgetAll(this.#memosByTop.get(top))
  }

  #remember(m: CallMemo): void {
    const { account, family } = m.facts
    // Every remembered call's family is held (and its bundles filed), so a change to any of
    // them finds it; one that lost its family to the bound meanwhile serves only its own call.
    if (this.#families.get(account.parentSid ?? account.sid) !== family) return
    if (this.#callCount >= this.#limits.calls) this.#dropCalls()
    // Two loads of one call may race: the later replaces the earlier, filed and all.
    const old = this.#calls.get(m.accountSid)?.get(m.fromTn)
    if (old) this.#forget(old)
    let byTn = this.#calls.get(m.accountSid)
    if (!byTn) this.#calls.set(m.accountSid, byTn = new Map())
    byTn.set(m.fromTn, m)
    this.#callCount++
    for (const [filing, key] of this.#keysOf(m)) filing.add(key, m)
  }

  #forget(m: CallMemo): void {
    const byTn = this.#calls.get(m.accountSid)
    if (byTn?.get(m.fromTn) !== m) return
    byTn.delete(m.fromTn)
    if (byTn.size === 0) this.#calls.delete(m.accountSid)
    this.#callCount--
    for (const [filing, key] of this.#keysOf(m)) filing.delete(key, m)
  }

  #forgetAll(memos: Iterable<CallMemo> | undefined): void {
    if (memos) for (const m of [...memos]) this.#forget(m)
  }

  /** Forgets every remembered call (the families stay: each change drops its own). */
  #dropCalls(): void {
    this.#calls = new Map()
    this.#callCount = 0
    this.#memosByTop = new Filing()
    this.#memosByTn = new Filing()
    this.#memosByNumber = new Filing()
    this.#memosByBundle = new Filing()
  }

  /**
   * Resolves once a version read that started after `ticket` confirmed (or refreshed) the
   * index. Every call waiting on the same read shares one promise (a turn's worth of calls
   * under load), instead of each running its own continuation.
   */
  fresh(ticket?: number): Promise<void> {
    const read = this.#store.fresh(ticket)
    if (read !== this.#shared.read) this.#shared = { read, applied: read.then((v) => this.#apply(v.decisions)) }
    return this.#shared.applied
  }
  #shared: { read?: Promise<StoreVersions>; applied: Promise<void> } = { applied: Promise.resolve() }

  async #apply(v: number): Promise<void> {
    if (v === this.#version) return
    // Calls wait for the move in progress and then for their own, so none reads an entry
    // that a change before its version touched.
    const move = this.#moving.then(() => this.#moveTo(v))
    this.#moving = move
    await move
  }

  async #moveTo(v: number): Promise<void> {
    const from = this.#version
    if (v === from) return
    // Loads in flight started before this move: they are not stored.
    this.#epoch++
    let scopes: string[] | undefined
    if (from >= 0 && v > from) {
      const changes = await readDecisionChanges(this.#db, from, v).catch(() => undefined)
      // Every version in between must have its changes, or some were pruned: drop everything.
      if (changes && changes.size === v - from) scopes = [...changes.values()].flat()
    }
    if (!scopes || scopes.includes(scope.all)) this.invalidate()
    else this.#drop(scopes)
    this.#version = v
  }

  /** The facts for a call (memoized per account and number until the version moves). */
  async facts(accountSid: string, fromTn: string): Promise<DecisionFacts | undefined> {
    return (await this.#memo(accountSid, fromTn))?.facts
  }

  async #memo(accountSid: string, fromTn: string): Promise<CallMemo | undefined> {
    // Nested maps: the hot path looks up the request's own strings, and builds no joined key.
    const hit = this.#calls.get(accountSid)?.get(fromTn)
    if (hit) return hit
    const epoch = this.#epoch
    const facts = await this.#assemble(accountSid, fromTn)
    if (!facts) return undefined
    const memo: CallMemo = { accountSid, fromTn, tn: e164(fromTn), facts }
    if (epoch === this.#epoch) this.#remember(memo)
    return memo
  }

  async #assemble(accountSid: string, fromTn: string): Promise<DecisionFacts | undefined> {
    const account = await this.account(accountSid)
    if (!account || account.status !== 'active') return undefined
    const top = account.parentSid ?? account.sid
    const epoch = this.#epoch
    const number = (await this.number(e164(fromTn))) ?? undefined
    let family = this.#families.get(top)
    if (!family) {
      family = await this.bundles(await this.accountBundles(top))
      if (epoch === this.#epoch) this.#keepFamilyFacts(top, family)
    }
    // Rule 2 reads only the bundles the number is on (a trust product's profile must hold it too).
    const bundles = new Map<string, BundleFact>()
    for (const b of await this.bundles(number?.bundleSids ?? [])) bundles.set(b.sid, b)
    return { account, number, bundles, family }
  }

  private async account(sid: string): Promise<AccountFactRow | undefined> {
    const hit = this.#accounts.get(sid)
    if (hit) return hit
    const epoch = this.#epoch
    this.#loads++
    const row = await loadAccountFact(this.#db, sid)
    // Unknown accounts are not cached: a new account must be usable at once.
    if (row && epoch === this.#epoch) setBounded(this.#accounts, sid, row, this.#limits.accounts)
    return row
  }

  private async number(tn: string): Promise<NumberFact | undefined> {
    const hit = this.#numbers.get(tn)
    if (hit !== undefined) return hit ?? undefined
    const epoch = this.#epoch
    this.#loads++
    const row = await loadNumberFact(this.#db, tn)
    if (epoch === this.#epoch) {
      setBounded(this.#numbers, tn, row ?? null, this.#limits.numbers, (_, old) => { if (old) this.#numberTns.delete(old.sid) })
      if (row) this.#numberTns.set(row.sid, tn)
    }
    return row
  }

  private async accountBundles(sid: string): Promise<readonly string[]> {
    const hit = this.#accountBundles.get(sid)
    if (hit) return hit
    const epoch = this.#epoch
    this.#loads++
    const rows = await loadAccountBundleFacts(this.#db, sid)
    return epoch === this.#epoch ? this.#keepFamily(sid, rows) : rows.map((b) => b.sid)
  }

  /** Holds an account's rule-3 set and its bundles; returns their SIDs. */
  #keepFamily(accountSid: string, rows: readonly BundleFact[]): readonly string[] {
    for (const b of rows) setBounded(this.#bundles, b.sid, b, this.#limits.bundles)
    const sids = rows.map((b) => b.sid)
    setBounded(this.#accountBundles, accountSid, sids, this.#limits.accounts)
    return sids
  }

  private async bundles(sids: readonly string[]): Promise<BundleFact[]> {
    const out: BundleFact[] = []
    const missing: string[] = []
    for (const s of sids) {
      const hit = this.#bundles.get(s)
      if (hit) out.push(hit)
      else if (hit === undefined) missing.push(s)
    }
    if (missing.length === 0) return out
    const epoch = this.#epoch
    this.#loads++
    const rows = await loadBundleFacts(this.#db, missing)
    if (epoch === this.#epoch) {
      const found = new Map(rows.map((b) => [b.sid, b]))
      for (const s of missing) setBounded(this.#bundles, s, found.get(s) ?? null, this.#limits.bundles)
    }
    return [...out, ...rows]
  }
}

/** The stored E.164 form of a canonical or `+`-prefixed TN (RFC 8224 §8.3 digits include the country code). */
export function e164(tn: string): string {
  return '+' + tn.replace(/^\+/, '')
}

/** Sets `k`, first evicting the oldest entries (a Map iterates in insertion order) to stay within `max`. */
function setBounded<K, V>(m: Map<K, V>, k: K, v: V, max: number, evicted?: (k: K, v: V) => void): void {
  if (!m.has(k)) {
    for (const [ok, ov] of m) {
      if (m.size < max) break
      m.delete(ok)
      evicted?.(ok, ov)
    }
  }
  m.set(k, v)
}
