/**
 * The attestation index: in-memory maps (number → owner and assigned bundles, bundle → status
 * and links, account → parent, account → its primary profiles and trust products) filled from
 * the store on demand and bounded ({@link IndexLimits}; held-facts.ts), so a decision is a few
 * map lookups and a pure function call, remembered per call until the facts or the clock say
 * otherwise (remembered-calls.ts).
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
import { readDecisionChanges, scope, type StoreVersions } from '../../store/decision-version.repo.js'
import type { BundleFact, Decision, DecisionFacts, NumberFact } from '../../domain/attestation.js'
import type { Clock } from '../../domain/time.js'
import { HeldFacts, type FactLimits } from './held-facts.js'
import { RememberedCalls, rememberedDecision, type CallMemo } from './remembered-calls.js'

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
export interface IndexLimits extends FactLimits {
  readonly calls: number
}

/** Defaults; `STIRHUB_INDEX_MAX_NUMBERS` sets numbers, bundles and calls (sti-as.ts). */
const INDEX_LIMITS: IndexLimits = { accounts: 200_000, numbers: 500_000, bundles: 500_000, calls: 250_000 }

/** A decision with the facts it was made from (for explanations). */
export interface Explained {
  readonly decision: Decision
  readonly facts: DecisionFacts
}

/** Most accounts {@link AttestationIndex.prewarm} loads. */
const PREWARM_ACCOUNTS = 100_000

/** Builds and keeps the index for one process. */
export class AttestationIndex {
  readonly #db: Executor
  readonly #clock: Clock
  readonly #store: StoreVersion
  #version = -1
  readonly #facts: HeldFacts
  readonly #calls: RememberedCalls
  /** Version moves, applied one after the other. */
  #moving: Promise<void> = Promise.resolve()

  constructor(opts: AttestationIndexOptions) {
    const limits = { ...INDEX_LIMITS, ...opts.limits }
    this.#calls = new RememberedCalls(limits.calls)
    this.#facts = new HeldFacts(opts.store.db, limits, (top) => this.#calls.forgetTop(top))
    this.#db = opts.store.db
    this.#clock = opts.clock
    this.#store = opts.version ?? storeVersionOf(opts.store)
  }

  /** The decision version the index is at (for tests and metrics). */
  get version(): number {
    return this.#version
  }

  /** Store reads made to fill the index so far (for tests and metrics). */
  get loads(): number {
    return this.#facts.loads
  }

  /** Entries of the maps that file remembered calls and families by what they were built from (for tests). */
  get filed(): number {
    return this.#facts.filed + this.#calls.filed
  }

  /** Entries held per kind (for tests and metrics). */
  get sizes(): Record<keyof IndexLimits, number> {
    return { ...this.#facts.sizes, calls: this.#calls.size }
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
    return memo && { decision: rememberedDecision(memo, toTn, this.#clock()), facts: memo.facts }
  }

  /** Like {@link explain}, the decision only. `now`: the caller's clock reading, if it has one. */
  async decide(
    accountSid: string,
    fromTn: string,
    toTn: string,
    ticket?: number,
    now?: Date,
  ): Promise<Decision | undefined> {
    await this.fresh(ticket)
    const memo = await this.#memo(accountSid, fromTn)
    return memo && rememberedDecision(memo, toTn, now ?? this.#clock())
  }

  /**
   * The signing hot path, with no await: the decision of a remembered call, or undefined when
   * the call is not remembered (then use {@link decide}). Only right after `fresh()` resolved
   * for the call's ticket, in the same microtask: that is what makes the memo current.
   */
  decideRemembered(accountSid: string, fromTn: string, toTn: string, now?: Date): Decision | undefined {
    const memo = this.#calls.get(accountSid, fromTn)
    return memo && rememberedDecision(memo, toTn, now ?? this.#clock())
  }

  /**
   * Who holds one of our numbers: its account and that account's parent; undefined when it is
   * not ours, or its account is not active (a suspended account's calls are not signed for).
   */
  async holderOf(tn: string, ticket?: number): Promise<Pick<NumberFact, 'accountSid' | 'ownerParentSid'> | undefined> {
    await this.fresh(ticket)
    const n = await this.#facts.number(e164(tn))
    return n && (await this.#facts.account(n.accountSid))?.status === 'active' ? n : undefined
  }

  /**
   * The effective status of an account (its parent's when that is worse), or undefined when it
   * does not exist: why a call was not decided for.
   */
  async statusOf(sid: string, ticket?: number): Promise<string | undefined> {
    await this.fresh(ticket)
    return (await this.#facts.account(sid))?.status
  }

  /**
   * Loads the active accounts and the top-level accounts' rule-3 sets before the process takes
   * traffic, so the first calls after a start do not each wait on store reads. Numbers stay on
   * demand (there may be millions). Loaded after a version read, like any entry.
   */
  async prewarm(maxAccounts = PREWARM_ACCOUNTS): Promise<{ readonly accounts: number; readonly bundles: number }> {
    await this.fresh()
    return this.#facts.prewarm(maxAccounts)
  }

  /** Drops every entry (the store changed). */
  invalidate(): void {
    this.#facts.clear()
    this.#calls.clear()
  }

  /**
   * Drops the entries `scopes` name (decision-version.repo.ts), the rule-3 families holding
   * them, and the remembered calls built from any of those; keeps the rest.
   */
  #drop(scopes: readonly string[]): void {
    const touched = this.#facts.drop(scopes)
    if (touched) this.#calls.forgetTouching(touched)
    else this.invalidate()
  }

  #remember(m: CallMemo): void {
    const { account, family } = m.facts
    // Every remembered call's family is held (and its bundles filed), so a change to any of
    // them finds it; one that lost its family to the bound meanwhile serves only its own call.
    if (this.#facts.heldFamily(account.parentSid ?? account.sid) !== family) return
    this.#calls.remember(m)
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
    this.#facts.newEpoch()
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
    const hit = this.#calls.get(accountSid, fromTn)
    if (hit) return hit
    const epoch = this.#facts.epoch
    const facts = await this.#assemble(accountSid, fromTn)
    if (!facts) return undefined
    const memo: CallMemo = { accountSid, fromTn, tn: e164(fromTn), facts }
    if (epoch === this.#facts.epoch) this.#remember(memo)
    return memo
  }

  async #assemble(accountSid: string, fromTn: string): Promise<DecisionFacts | undefined> {
    const account = await this.#facts.account(accountSid)
    if (!account || account.status !== 'active') return undefined
    const epoch = this.#facts.epoch
    const number = (await this.#facts.number(e164(fromTn))) ?? undefined
    const family = await this.#facts.family(account.parentSid ?? account.sid, epoch)
    // Rule 2 reads only the bundles the number is on (a trust product's profile must hold it too).
    const bundles = new Map<string, BundleFact>()
    for (const b of await this.#facts.bundles(number?.bundleSids ?? [])) bundles.set(b.sid, b)
    return { account, number, bundles, family }
  }
}

/** The stored E.164 form of a canonical or `+`-prefixed TN (RFC 8224 §8.3 digits include the country code). */
function e164(tn: string): string {
  return '+' + tn.replace(/^\+/, '')
}
