/**
 * End users (IT…) and supporting documents (RD…): what a customer may write. A document's
 * references stay in its tenant (references.ts); an object a bundle under review or approved
 * attaches is frozen (locks.ts); an object still attached to any bundle is not deleted.
 */
import type { Db } from '../store/db.js'
import {
  assignmentsOf,
  deleteEntity,
  findEntity,
  insertEntity,
  updateEntity,
  type EndUserRow,
  type EntityTable,
  type SupportingDocumentRow,
} from '../store/entities.repo.js'
import { isoNow, type Clock } from '../domain/time.js'
import { errors } from '../domain/errors.js'
import { checkDocumentReferences } from './references.js'
import { requireObjectUnlocked } from './locks.js'

type Row = EndUserRow | SupportingDocumentRow

/** A customer's edit: a new name and/or new attributes (JSON text). */
export interface EntityPatch {
  readonly friendly_name?: string
  readonly attributes?: string
}

/** Stores a new end user or document after checking what its attributes reference. */
export async function createEntityObject(db: Db, table: EntityTable, row: Row): Promise<void> {
  await db.transaction().execute(async (trx) => {
    if (table === 'supporting_documents') await checkDocumentReferences(trx, row.account_sid, row.attributes)
    await insertEntity(trx, table, row as any)
  })
}

/** Edits an object unless a locked bundle attaches it; returns it as stored. */
export async function updateEntityObject<T extends Row>(
  db: Db,
  clock: Clock,
  table: EntityTable,
  row: T,
  patch: EntityPatch,
): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await requireObjectUnlocked(trx, row.sid)
    if (table === 'supporting_documents' && patch.attributes !== undefined)
      await checkDocumentReferences(trx, row.account_sid, patch.attributes)
    await updateEntity(trx, table, row.sid, patch, isoNow(clock))
    return (await findEntity(trx, table, [row.account_sid], row.sid)) as T
  })
}

/** Deletes an object that no bundle attaches (a locked bundle's answer says how to change it instead). */
export async function deleteEntityObject(db: Db, table: EntityTable, row: Row): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await requireObjectUnlocked(trx, row.sid)
    const bundles = await assignmentsOf(trx, row.sid)
    if (bundles.length)
      throw errors.invalid(
        'Sid',
        `${row.sid} is assigned to ${bundles.join(', ')}; remove those EntityAssignments first`,
      )
    await deleteEntity(trx, table, row.sid)
  })
}
