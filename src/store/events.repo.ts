/**
 * The audit log. Append-only by construction: this repo offers insert and read, nothing that
 * updates or deletes. Reads are scoped: the operator sees all, an account only its own.
 */
import type { Executor } from './db.js'
import type { EventsTable } from './tables/vetting.table.js'
import { keysetPage, type PageRequest } from './paging.js'
import { newSid } from '../domain/ids.js'
import { inList } from './in-list.js'
import { capabilitiesOf } from './dialect.js'
import { auditActor } from './audit-actor.js'

export type EventRow = EventsTable

export interface NewEvent {
  readonly accountSid: string | null
  readonly resourceSid: string | null
  readonly type: string
  readonly actor: string
  readonly data?: Readonly<Record<string, unknown>>
  /** Makes the event happen at most once (e.g. one expiry notice per approval). */
  readonly dedupeKey?: string
}

/** Appends one event; with a dedupe key, returns false when it was already recorded. */
export async function appendEvent(db: Executor, e: NewEvent, now: string): Promise<boolean> {
  const row: EventRow = {
    sid: newSid('EV'),
    account_sid: e.accountSid,
    resource_sid: e.resourceSid,
    type: e.type,
    actor: auditActor(e.actor),
    data: JSON.stringify(e.data ?? {}),
    dedupe_key: e.dedupeKey ?? null,
    date_created: now,
  }
  const r = await db
    .insertInto('events')
    .values(row)
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .executeTakeFirst()
  return Number(r.numInsertedOrUpdatedRows ?? 1n) > 0
}

/** Rows per multi-row INSERT (8 columns: 4,000 parameters). */
const CHUNK = 500
const COLUMNS = [
  'sid',
  'account_sid',
  'resource_sid',
  'type',
  'actor',
  'data',
  'dedupe_key',
  'date_created',
] as const satisfies readonly (keyof EventRow)[]

/**
 * Appends many events without dedupe keys (a bulk placement: one per number), inside the
 * caller's transaction: one prepared row INSERT per event where the engine offers it (SQLite,
 * about twice as fast there), multi-row INSERTs elsewhere.
 */
export async function appendEvents(db: Executor, events: readonly NewEvent[], now: string): Promise<void> {
  const rows: EventRow[] = events.map((e) => ({
    sid: newSid('EV'),
    account_sid: e.accountSid,
    resource_sid: e.resourceSid,
    type: e.type,
    actor: auditActor(e.actor),
    data: JSON.stringify(e.data ?? {}),
    dedupe_key: null,
    date_created: now,
  }))
  const sqlite = db.isTransaction ? capabilitiesOf(db).preparedRows : undefined
  if (sqlite?.inTransaction) {
    const insert = sqlite.prepare(
      `INSERT INTO events (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})`,
    )
    for (const r of rows) insert.run(COLUMNS.map((c) => r[c]))
    return
  }
  for (let i = 0; i < rows.length; i += CHUNK)
    await db
      .insertInto('events')
      .values(rows.slice(i, i + CHUNK))
      .execute()
}

export interface EventFilter {
  /** Accounts whose events may be read; undefined = all (operator). */
  readonly accounts?: readonly string[]
  readonly resourceSid?: string
  readonly type?: string
}

/** Lists events newest first, keyset-paged. */
export async function listEvents(db: Executor, f: EventFilter, page: PageRequest) {
  let q = db.selectFrom('events').selectAll()
  if (f.accounts) q = q.where(inList(db, 'account_sid', f.accounts))
  if (f.resourceSid) q = q.where('resource_sid', '=', f.resourceSid)
  if (f.type) q = q.where('type', '=', f.type)
  return keysetPage(q, page)
}

/** Every event of one resource, oldest first (a review's history). */
export async function eventsOf(db: Executor, resourceSid: string): Promise<EventRow[]> {
  return db
    .selectFrom('events')
    .selectAll()
    .where('resource_sid', '=', resourceSid)
    .orderBy('date_created')
    .orderBy('sid')
    .execute()
}
