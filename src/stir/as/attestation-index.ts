/**
 * The attestation index: in-memory maps (number → owner and assigned bundles, bundle → status
 * and links, account → parent, account → its primary profiles and trust products) filled from
 * the store on demand, so a decision is a few map lookups and a pure function call.
 *
 * Correctness first (DESIGN §4: "no stale cache may sign a higher level than the facts
 * allow"): before every decision the index reads the store's decision version — a counter
 * bumped in the same transaction as every decision-relevant write — with a read that started
 * after the call arrived. When it moved, every entry is dropped. Concurrent calls share one
 * in-flight read (single flight), so the store sees at most one version read per round trip,
 * however many calls are signing. Expiry (`valid_until`) is checked against the clock at
 * decision time, not when an entry was loaded. If the version cannot be read, the decision
 * fails closed with 503: nothing is ever signed from an unverified index.
 */
import type { Executor } from '../../store/db.js'
import { readDecisionVersion } from '../../store/decision-version.repo.js'
import {
  loadAccountBundleFacts, loadAccountFact, loadBundleFacts, loadNumberFact, type AccountFactRow,
} from '../../store/attestation-facts.repo.js'
import { decide, type BundleFact, type Decision, type DecisionFacts, type NumberFact } from '../../domain/attestation.js'
import { AppError } from '../../domain/errors.js'
import type { Clock } from '../../domain/time.js'

export interface AttestationIndexOptions {
  readonly db: Executor
  readonly clock: Clock
  /** Longest wait for the version read before failing closed (ms). */
  readonly storeTimeoutMs?: number
}

/** A decision with the facts it was made from (for explanations). */
export interface Explained {
  readonly decision: Decision
  readonly facts: DecisionFacts
}

const noop = () => undefined
/** Bound on memoized call facts (distinct account+number pairs) before the memo is dropped. */
const FACTS_MAX = 1_000_000

/** Builds and keeps the index for one process. */
export class AttestationIndex {
  readonly #db: Executor
  readonly #clock: Clock
  readonly #timeoutMs: number
  #version = -1
  /** Bumped on every drop: a load that started in an older epoch is not stored. */
  #epoch = 0
  #accounts = new Map<string, AccountFactRow>()
  #numbers = new Map<string, NumberFact | null>()
  #bundles = new Map<string, BundleFact | null>()
  #accountBundles = new Map<string, readonly string[]>()
  #facts = new Map<string, DecisionFacts>()
  #current?: Promise<void>
  #next?: Promise<void>

  constructor(opts: AttestationIndexOptions) {
    this.#db = opts.db
    this.#clock = opts.clock
    this.#timeoutMs = opts.storeTimeoutMs ?? 2000
  }

  /** The decision version the index is at (for tests and metrics). */
  get version(): number { return this.#version }

  /**
   * Decides a call of `accountSid` from E.164/canonical `fromTn` to `toTn`. Undefined when the
   * account does not exist or is not active. Throws 503 (UNAVAILABLE) when the store cannot
   * confirm the index is current.
   */
  async explain(accountSid: string, fromTn: string, toTn: string): Promise<Explained | undefined> {
    await this.fresh()
    const facts = await this.facts(accountSid, fromTn)
    if (!facts) return undefined
    return { decision: decide(facts, toTn, this.#clock()), facts }
  }

  /** Like {@link explain}, the decision only. */
  async decide(accountSid: string, fromTn: string, toTn: string): Promise<Decision | undefined> {
    return (await this.explain(accountSid, fromTn, toTn))?.decision
  }

  /** The owner of one of our numbers (the SIP front's account when no X-Account-Sid is given). */
  async ownerOf(fromTn: string): Promise<string | undefined> {
    await this.fresh()
    return (await this.number(e164(fromTn)))?.accountSid
  }

  /** Drops every entry (the store changed). */
  invalidate(): void {
    this.#epoch++
    this.#accounts = new Map()
    this.#numbers = new Map()
    this.#bundles = new Map()
    this.#accountBundles = new Map()
    this.#facts = new Map()
  }

  /** Resolves once a version read that started after this call confirmed (or refreshed) the index. */
  fresh(): Promise<void> {
    if (!this.#current) return this.#start()
    // A read already in flight may have started before this call arrived: wait for the next one.
    this.#next ??= this.#current.then(noop, noop).then(() => { this.#next = undefined; return this.#start() })
    return this.#next
  }

  #start(): Promise<void> {
    const p: Promise<void> = this.#readVersion().finally(() => { if (this.#current === p) this.#current = undefined })
    this.#current = p
    return p
  }

  async #readVersion(): Promise<void> {
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('timed out')), this.#timeoutMs)
    })
    try {
      const v = await Promise.race([readDecisionVersion(this.#db), timeout])
      if (v !== this.#version) { this.invalidate(); this.#version = v }
    } catch (err) {
      throw new AppError('UNAVAILABLE', `the attestation store cannot be reached (${(err as Error).message}): not signing`)
    } finally {
      clearTimeout(timer)
    }
  }

  /** The facts for a call (memoized per account and number until the version moves). */
  async facts(accountSid: string, fromTn: string): Promise<DecisionFacts | undefined> {
    const key = accountSid + '|' + fromTn
    const hit = this.#facts.get(key)
    if (hit) return hit
    const epoch = this.#epoch
    const f = await this.#assemble(accountSid, fromTn)
    if (f && epoch === this.#epoch) {
      if (this.#facts.size >= FACTS_MAX) this.#facts.clear()
      this.#facts.set(key, f)
    }
    return f
  }

  async #assemble(accountSid: string, fromTn: string): Promise<DecisionFacts | undefined> {
    const account = await this.account(accountSid)
    if (!account || account.status !== 'active') return undefined
    const top = account.parentSid ?? account.sid
    const number = (await this.number(e164(fromTn))) ?? undefined
    const sids = new Set<string>([...(number?.bundleSids ?? []), ...(await this.accountBundles(top))])
    const bundles = new Map<string, BundleFact>()
    for (const b of await this.bundles([...sids])) bundles.set(b.sid, b)
    // Linked profiles of the number's trust products (the profile P of rule 2).
    const linked = [...bundles.values()].flatMap((b) => b.linkedBundleSids).filter((s) => !bundles.has(s))
    for (const b of await this.bundles(linked)) bundles.set(b.sid, b)
    return { account, number, bundles }
  }

  private async account(sid: string): Promise<AccountFactRow | undefined> {
    const hit = this.#accounts.get(sid)
    if (hit) return hit
    const epoch = this.#epoch
    const row = await loadAccountFact(this.#db, sid)
    // Unknown accounts are not cached: a new account must be usable at once.
    if (row && epoch === this.#epoch) this.#accounts.set(sid, row)
    return row
  }

  private async number(tn: string): Promise<NumberFact | undefined> {
    const hit = this.#numbers.get(tn)
    if (hit !== undefined) return hit ?? undefined
    const epoch = this.#epoch
    const row = await loadNumberFact(this.#db, tn)
    if (epoch === this.#epoch) this.#numbers.set(tn, row ?? null)
    return row
  }

  private async accountBundles(sid: string): Promise<readonly string[]> {
    const hit = this.#accountBundles.get(sid)
    if (hit) return hit
    const epoch = this.#epoch
    const rows = await loadAccountBundleFacts(this.#db, sid)
    if (epoch === this.#epoch) {
      for (const b of rows) this.#bundles.set(b.sid, b)
      this.#accountBundles.set(sid, rows.map((b) => b.sid))
    }
    return rows.map((b) => b.sid)
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
    const rows = await loadBundleFacts(this.#db, missing)
    if (epoch === this.#epoch) {
      for (const s of missing) this.#bundles.set(s, null)
      for (const b of rows) this.#bundles.set(b.sid, b)
    }
    return [...out, ...rows]
  }
}

/** The stored E.164 form of a canonical or `+`-prefixed TN (RFC 8224 §8.3 digits include the country code). */
export function e164(tn: string): string {
  return '+' + tn.replace(/^\+/, '')
}
