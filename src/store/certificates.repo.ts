/**
 * STI certificates. Platform-wide rows (the provider signs for all its accounts), so queries
 * are scoped by id and status rather than by account. Rotation retires the active row and
 * inserts the new one in one transaction, so there is never zero or two active certificates.
 */
import type { Selectable } from 'kysely'
import type { Executor } from './db.js'
import { atomically } from './executor.js'
import { appendEvent } from './events.repo.js'
import type { CertificatesTable } from './tables/certificates.table.js'

export type CertificateRow = Selectable<CertificatesTable>

/** A new certificate to store (status is set by the repo). */
export interface NewCertificate {
  readonly id: string
  readonly chainPem: string
  readonly keySealed: string
  readonly spc: string | null
  readonly notBefore: string
  readonly notAfter: string
}

/** The active certificate, if any. */
export async function activeCertificate(db: Executor): Promise<CertificateRow | undefined> {
  return db
    .selectFrom('certificates')
    .selectAll()
    .where('status', '=', 'active')
    .orderBy('date_created', 'desc')
    .limit(1)
    .executeTakeFirst()
}

/** One certificate by id. */
export async function getCertificate(db: Executor, id: string): Promise<CertificateRow | undefined> {
  return db.selectFrom('certificates').selectAll().where('id', '=', id).executeTakeFirst()
}

/** Every certificate, newest first (a handful at most: one per rotation). */
export async function listCertificates(db: Executor): Promise<CertificateRow[]> {
  return db.selectFrom('certificates').selectAll().orderBy('date_created', 'desc').orderBy('id', 'desc').execute()
}

/**
 * Makes `cert` the active certificate and retires the previous one at `now`, atomically, with
 * a `certificate.activated` event in the audit log naming `actor`. Returns the id of the
 * certificate it retired.
 */
export async function activateCertificate(
  db: Executor,
  cert: NewCertificate,
  now: string,
  actor = 'system',
): Promise<string | undefined> {
  const run = async (tx: Executor) => {
    const prev = await activeCertificate(tx)
    await tx
      .updateTable('certificates')
      .set({ status: 'retired', retired_at: now })
      .where('status', '=', 'active')
      .execute()
    await tx
      .insertInto('certificates')
      .values({
        id: cert.id,
        chain_pem: cert.chainPem,
        key_sealed: cert.keySealed,
        spc: cert.spc,
        not_before: cert.notBefore,
        not_after: cert.notAfter,
        status: 'active',
        retired_at: null,
        date_created: now,
      })
      .execute()
    await appendEvent(
      tx,
      {
        accountSid: null,
        resourceSid: cert.id,
        type: 'certificate.activated',
        actor,
        data: { spc: cert.spc, not_after: cert.notAfter, retired: prev?.id ?? null },
      },
      now,
    )
    return prev?.id
  }
  return atomically(db, run)
}
