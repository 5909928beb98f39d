/**
 * The attestation index's store-backed entries: number → owner and assigned bundles, bundle →
 * status and links, account → parent and status, top-level account → its rule-3 family.
 * Loaded on demand, bounded per kind (oldest evicted first), and dropped by the scopes a store
 * change names (decision-version.repo.ts). Every drop starts a new epoch: a load that started
 * in an older one is returned to its caller but not held, since it may predate the change.
 */
import type { Executor } from '../../store/db.js'
import { parseScope } from '../../store/decision-version.repo.js'
import {
  loadAccountBundleFacts,
  loadAccountFact,
  loadActiveAccountFacts,
  loadBundleFacts,
  loadFamilies,
  loadNumberFact,
  type AccountFactRow,
} from '../../store/attestation-facts.repo.js'
import type { BundleFact, NumberFact } from '../../domain/attestation.js'
import type { Touched } from './remembered-calls.js'

/** How many entries are held per kind. */
export interface FactLimits {
  readonly accounts: number
  readonly numbers: number
  readonly bundles: number
}

/** Holds the facts of one index. */
export class HeldFacts {
  readonly #db: Executor
  readonly #limits: FactLimits
  readonly #familyDropped: (top: string) => void
  #epoch = 0
  #loads = 0
  #accounts = new Map<string, AccountFactRow>()
  /** Null: looked up, and not one of our numbers. */
  #numbers = new Map<string, NumberFact | null>()
  #bundles = new Map<string, BundleFact | null>()
  #accountBundles = new Map<string, readonly string[]>()
  /** Top-level account → its rule-3 set as facts, shared by its calls (dropped with them). */
  #families = new Map<string, readonly BundleFact[]>()
  /** Bundle SID → the top account whose held family has it. */
  #familyOf = new Map<string, string>()
  /** Number SID → the TN its fact is held under (changes name numbers by SID). */
  #numberTns = new Map<string, string>()

  /** `familyDropped`: told of each family dropped, by a change or by the bound, so the calls built from it go too. */
  constructor(db: Executor, limits: FactLimits, familyDropped: (top: string) => void) {
    this.#db = db
    this.#limits = limits
    this.#familyDropped = familyDropped
  }

  /** The current epoch: compare before and after a load to know whether it may be kept. */
  get epoch(): number {
    return this.#epoch
  }

  /** Store reads made so far. */
  get loads(): number {
    return this.#loads
  }

  /** Entries held per kind. */
  get sizes(): Record<keyof FactLimits, number> {
    return { accounts: this.#accounts.size, numbers: this.#numbers.size, bundles: this.#bundles.size }
  }

  /** Bundles filed under the family that holds them. */
  get filed(): number {
    return this.#familyOf.size
  }

  /** Starts a new epoch: the loads in flight are not held. */
  newEpoch(): void {
    this.#epoch++
  }

  /** Drops every entry. */
  clear(): void {
    this.#epoch++
    this.#accounts = new Map()
    this.#numbers = new Map()
    this.#numberTns = new Map()
    this.#bundles = new Map()
    this.#accountBundles = new Map()
    this.#families = new Map()
    this.#familyOf = new Map()
  }

  /**
   * Drops the entries `scopes` name, and the families that hold a named bundle; returns what
   * they named, for the calls built from it. Undefined when a scope is not understood: then
   * nothing can be kept.
   */
  drop(scopes: readonly string[]): Touched | undefined {
    const t = {
      bundles: new Set<string>(),
      families: new Set<string>(),
      accounts: new Set<string>(),
      numbers: new Set<string>(),
      tns: new Set<string>(),
    }
    for (const s of scopes) {
      const p = parseScope(s)
      if (!p) return undefined
      switch (p.kind) {
        case 'bundle': {
          // The family holding it, if one is held (a family holds only its top account's own bundles).
          const top = this.#familyOf.get(p.id)
          if (top !== undefined) t.families.add(top)
          this.#bundles.delete(p.id)
          t.bundles.add(p.id)
          break
        }
        case 'family':
          this.#accountBundles.delete(p.id)
          t.families.add(p.id)
          break
        case 'account':
          this.#accounts.delete(p.id)
          t.accounts.add(p.id)
          break
        case 'tn':
          this.#numbers.delete(p.id)
          t.tns.add(p.id)
          break
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
    for (const top of t.families) this.#dropFamily(top)
    return t
  }

  /** The rule-3 family held for `top`, if any. */
  heldFamily(top: string): readonly BundleFact[] | undefined {
    return this.#families.get(top)
  }

  /**
   * The rule-3 family of top-level account `top`: its primary profiles and the trust products
   * linked to them. Held only when no change came since epoch `since` (the caller's other reads).
   */
  async family(top: string, since = this.#epoch): Promise<readonly BundleFact[]> {
    const held = this.#families.get(top)
    if (held) return held
    const family = await this.bundles(await this.#accountBundleSids(top))
    if (since === this.#epoch) this.#keepFamilyFacts(top, family)
    return family
  }

  /**
   * Loads the active accounts and the top-level accounts' rule-3 sets at once (at most
   * `maxAccounts` accounts); numbers stay on demand (there may be millions).
   */
  async prewarm(maxAccounts: number): Promise<{ readonly accounts: number; readonly bundles: number }> {
    const epoch = this.#epoch
    this.#loads += 2
    const accounts = await loadActiveAccountFacts(this.#db, maxAccounts)
    const tops = accounts.filter((a) => a.parentSid === null).map((a) => a.sid)
    const families = await loadFamilies(this.#db, tops)
    if (epoch !== this.#epoch) return { accounts: 0, bundles: 0 }
    let bundles = 0
    for (const a of accounts) setBounded(this.#accounts, a.sid, a, this.#limits.accounts)
    for (const sid of tops) bundles += this.#keepAccountBundles(sid, families.get(sid) ?? []).length
    return { accounts: accounts.length, bundles }
  }

  /** An account's facts; undefined when it does not exist (not held: a new account must be usable at once). */
  async account(sid: string): Promise<AccountFactRow | undefined> {
    const hit = this.#accounts.get(sid)
    if (hit) return hit
    const epoch = this.#epoch
    this.#loads++
    const row = await loadAccountFact(this.#db, sid)
    if (row && epoch === this.#epoch) setBounded(this.#accounts, sid, row, this.#limits.accounts)
    return row
  }

  /** The facts of E.164 number `tn`; undefined when it is not ours (held as such too). */
  async number(tn: string): Promise<NumberFact | undefined> {
    const hit = this.#numbers.get(tn)
    if (hit !== undefined) return hit ?? undefined
    const epoch = this.#epoch
    this.#loads++
    const row = await loadNumberFact(this.#db, tn)
    if (epoch === this.#epoch) {
      setBounded(this.#numbers, tn, row ?? null, this.#limits.numbers, (_, old) => {
        if (old) this.#numberTns.delete(old.sid)
      })
      if (row) this.#numberTns.set(row.sid, tn)
    }
    return row
  }

  /** The bundles of `sids` that exist. */
  async bundles(sids: readonly string[]): Promise<BundleFact[]> {
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

  async #accountBundleSids(sid: string): Promise<readonly string[]> {
    const hit = this.#accountBundles.get(sid)
    if (hit) return hit
    const epoch = this.#epoch
    this.#loads++
    const rows = await loadAccountBundleFacts(this.#db, sid)
    return epoch === this.#epoch ? this.#keepAccountBundles(sid, rows) : rows.map((b) => b.sid)
  }

  /** Holds an account's rule-3 set and its bundles; returns their SIDs. */
  #keepAccountBundles(accountSid: string, rows: readonly BundleFact[]): readonly string[] {
    for (const b of rows) setBounded(this.#bundles, b.sid, b, this.#limits.bundles)
    const sids = rows.map((b) => b.sid)
    setBounded(this.#accountBundles, accountSid, sids, this.#limits.accounts)
    return sids
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
    this.#familyDropped(top)
  }
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
