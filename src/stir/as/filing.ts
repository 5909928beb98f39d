/**
 * A multimap from string keys to objects that keeps a key's only value inline and makes a Set
 * from the second one on. The attestation index files every remembered call under several
 * keys (its number, its number's SID, its bundles, its top account); most of those keys hold
 * one call, and a Set for each doubled the index's heap per call.
 */
export class Filing<V extends object> {
  #m = new Map<string, V | Set<V>>()

  add(key: string, v: V): void {
    const cur = this.#m.get(key)
    if (cur === undefined) this.#m.set(key, v)
    else if (cur instanceof Set) cur.add(v)
    else if (cur !== v) this.#m.set(key, new Set([cur, v]))
  }

  delete(key: string, v: V): void {
    const cur = this.#m.get(key)
    if (cur === v) this.#m.delete(key)
    else if (cur instanceof Set && cur.delete(v) && cur.size === 1) this.#m.set(key, cur.values().next().value!)
  }

  /** The values under `key`, as a copy (callers delete while they go through it). */
  get(key: string): V[] {
    const cur = this.#m.get(key)
    return cur === undefined ? [] : cur instanceof Set ? [...cur] : [cur]
  }

  /** Values filed, over all keys. */
  get size(): number {
    let n = 0
    for (const cur of this.#m.values()) n += cur instanceof Set ? cur.size : 1
    return n
  }
}
