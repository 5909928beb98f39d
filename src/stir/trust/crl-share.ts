/**
 * CRLs travel through the store, as the trust list does (trust-list-share.ts): a process that
 * fetched and checked a CRL stores it with the CA certificate it was checked against; every
 * verifying process compares the stored digests with what it loaded on its trust tick and
 * loads what changed (its signature checked again here). So every instance revokes the same
 * certificates, including one that never fetched the CRL or never saw a call from that CA.
 */
import { hash } from 'node:crypto'
import type { Executor } from '../../store/db.js'
import { crlDigests, findCrl, saveCrl } from '../../store/crls.repo.js'
import type { CrlRefresh, CrlStore } from './crl-store.js'

const digestOf = (der: Buffer) => hash('sha256', der, 'hex')

/** Stores the CRLs a refresh loaded (unless the store holds the same or a newer one). */
export async function publishCrls(db: Executor, results: readonly CrlRefresh[], now: Date): Promise<void> {
  for (const r of results) {
    if (!r.loaded) continue
    await saveCrl(db, {
      url: r.url,
      issuer_pem: r.loaded.issuerPem,
      body: r.loaded.der.toString('base64'),
      digest: digestOf(r.loaded.der),
      this_update: r.loaded.thisUpdate.toISOString(),
      fetched_at: now.toISOString(),
    })
  }
}

/**
 * Loads every stored CRL whose digest differs from `seen` (URL → digest this process acted
 * on, updated here); an unchanged store costs one small read. Returns the URLs loaded and
 * those refused, with why.
 */
export async function adoptSharedCrls(
  db: Executor,
  crl: CrlStore,
  seen: Map<string, string>,
): Promise<{ readonly loaded: string[]; readonly refused: { url: string; error: string }[] }> {
  const loaded: string[] = []
  const refused: { url: string; error: string }[] = []
  for (const { url, digest } of await crlDigests(db)) {
    if (seen.get(url) === digest) continue
    const row = await findCrl(db, url)
    if (!row) continue
    seen.set(url, row.digest)
    try {
      await crl.adopt(url, Buffer.from(row.body, 'base64'), row.issuer_pem)
      loaded.push(url)
    } catch (e) {
      refused.push({ url, error: (e as Error).message })
    }
  }
  return { loaded, refused }
}
