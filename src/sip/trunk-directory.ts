/**
 * Which SIP trunk an INVITE arrives on, so the signing front signs for that trunk's account
 * (DESIGN §2). The trunks whose source blocks hold the packet's source address are found, and
 * only those with the most specific block are kept (a /32 for one SBC beats the /24 of its
 * network); one left is the trunk. Several left share the SBC: the INVITE's RFC 4904 `tgrp`
 * (trunk-group.ts) must name exactly one of them, or the call is ambiguous and refused.
 *
 * Each process holds the trunks in memory and reloads them when the store's trunks version
 * moved (store-version.ts): the version is read per INVITE (a read shared with the attestation
 * index's), so a trunk created, changed or deleted through the API applies to the very next
 * INVITE in every process.
 */
import type { StoreVersion } from '../store/store-version.js'
import type { Store } from '../store/db.js'
import { allTrunks, trunkAddresses, type SipTrunkRow } from '../store/sip-trunks.repo.js'
import { longestMatch, parseCidr, type Cidr } from '../domain/cidr.js'

/** A trunk as matched: its blocks parsed. */
interface Trunk {
  readonly sid: string
  readonly accountSid: string
  readonly blocks: readonly Cidr[]
  readonly trunkGroup: string | null
}

/** The outcome of matching an INVITE. */
export type TrunkMatch =
  | { readonly kind: 'trunk'; readonly sid: string; readonly accountSid: string }
  /** No trunk lists the source address. */
  | { readonly kind: 'none' }
  /** Several trunks share the source address and the INVITE's tgrp names none (or several) of them. */
  | { readonly kind: 'ambiguous'; readonly sids: readonly string[] }

/** Distinct source addresses whose candidates are remembered per trunks version (SBCs are few). */
const MAX_SOURCES = 4096

function parsed(row: SipTrunkRow): Trunk {
  const blocks = trunkAddresses(row)
    .map(parseCidr)
    .filter((c): c is Cidr => !('error' in c))
  return { sid: row.sid, accountSid: row.account_sid, blocks, trunkGroup: row.trunk_group }
}

/** The trunks whose most specific block holding `address` is the most specific of all. */
function candidatesOf(trunks: readonly Trunk[], address: string): Trunk[] {
  let best = -1
  let out: Trunk[] = []
  for (const t of trunks) {
    const len = longestMatch(t.blocks, address)
    if (len === undefined || len < best) continue
    if (len > best) {
      best = len
      out = []
    }
    out.push(t)
  }
  return out
}

/** The trunk among `candidates` an INVITE naming trunk groups `groups()` is on (read only when several share its source). */
function choose(candidates: readonly Trunk[], groups: () => readonly string[]): TrunkMatch {
  if (candidates.length === 0) return { kind: 'none' }
  if (candidates.length === 1) return { kind: 'trunk', sid: candidates[0]!.sid, accountSid: candidates[0]!.accountSid }
  const named = groups()
  const chosen = candidates.filter((t) => t.trunkGroup !== null && named.includes(t.trunkGroup))
  if (chosen.length === 1) return { kind: 'trunk', sid: chosen[0]!.sid, accountSid: chosen[0]!.accountSid }
  return { kind: 'ambiguous', sids: candidates.map((t) => t.sid) }
}

/** The trunks of one process, following the store's trunks version (see the module comment). */
export class TrunkDirectory {
  readonly #load: () => Promise<readonly SipTrunkRow[]>
  readonly #version: StoreVersion
  #loaded:
    | { readonly version: number; readonly trunks: readonly Trunk[]; readonly bySource: Map<string, Trunk[]> }
    | undefined
  #loading: { readonly version: number; readonly promise: Promise<void> } | undefined

  constructor(load: () => Promise<readonly SipTrunkRow[]>, version: StoreVersion) {
    this.#load = load
    this.#version = version
  }

  /** A store-version ticket for an INVITE that arrives now (pass it to {@link match} and to the signing service). */
  ticket(): number {
    return this.#version.ticket()
  }

  /** The trunk an INVITE from `address` naming trunk groups `groups()` is on; `ticket` as taken when it arrived. */
  async match(address: string, groups: () => readonly string[], ticket?: number): Promise<TrunkMatch> {
    const { trunks: version } = await this.#version.fresh(ticket)
    if (this.#loaded?.version !== version) await this.#reload(version)
    const loaded = this.#loaded!
    let candidates = loaded.bySource.get(address)
    if (!candidates) {
      candidates = candidatesOf(loaded.trunks, address)
      if (loaded.bySource.size >= MAX_SOURCES) loaded.bySource.clear()
      loaded.bySource.set(address, candidates)
    }
    return choose(candidates, groups)
  }

  /** Loads the trunks for `version`: the load starts after that version was read, so it holds every write it counts. */
  async #reload(version: number): Promise<void> {
    let loading = this.#loading
    if (loading?.version !== version) {
      const promise: Promise<void> = this.#load()
        .then((rows) => {
          // A slower load for an older version must not replace a newer one (which holds its writes too).
          if (!this.#loaded || this.#loaded.version < version)
            this.#loaded = { version, trunks: rows.map(parsed), bySource: new Map() }
        })
        .finally(() => {
          if (this.#loading?.promise === promise) this.#loading = undefined
        })
      loading = this.#loading = { version, promise }
    }
    await loading.promise
  }
}

/** The trunk directory of a process's store. */
export function trunkDirectoryOf(store: Pick<Store, 'db'>, version: StoreVersion): TrunkDirectory {
  return new TrunkDirectory(() => allTrunks(store.db), version)
}
