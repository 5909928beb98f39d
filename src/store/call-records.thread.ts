/**
 * SQLite: call-record batches written on a thread of their own, with a connection of its own to
 * the same file. better-sqlite3 is synchronous: on the event loop a batch's inserts (seven
 * B-trees per row) and any wait for another process's write lock (`busy_timeout`) would stall
 * every call the process is answering; here they stall only this thread. An in-memory store
 * (one connection only) has no such thread: its batches are written in place.
 */
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import type { Executor } from './db.js'
import { capabilitiesOf } from './dialect.js'
import { CALL_COLUMNS, type CallRecordRow } from './call-records.repo.js'

/** A write the store stopped part way: `written` rows were committed before `cause`. */
export class PartlyWritten extends Error {
  constructor(
    readonly written: number,
    cause: string,
  ) {
    super(cause)
  }
}

export interface CallWriter {
  /** Inserts the rows, {@link ROWS_PER_COMMIT} per transaction; rejects with {@link PartlyWritten} when the store refused some. */
  write(rows: readonly CallRecordRow[]): Promise<void>
  /** Ends the thread once the writes sent are done. */
  close(): Promise<void>
}

/**
 * Rows per transaction. The write lock is held for one transaction: short ones let the other
 * writers of the file (this process's counter flush, which waits for it on the event loop,
 * and the other API processes) in between.
 */
const ROWS_PER_COMMIT = 250

// CommonJS, evaluated as the thread's script: opens the file, then IMMEDIATE transactions of
// prepared row INSERTs per message (values flat, in CALL_COLUMNS order); answers how many
// rows were committed, and the error that stopped the rest.
const THREAD = `
const { parentPort, workerData: w } = require('node:worker_threads')
const SQLite = require(w.driver)
const db = new SQLite(w.file)
db.pragma('busy_timeout = 5000')
db.pragma('synchronous = ' + w.synchronous)
const insert = db.prepare(w.sql)
const write = db.transaction((values, from, to) => {
  for (let i = from; i < to; i += w.width) insert.run(values.slice(i, i + w.width))
}).immediate
parentPort.on('message', (m) => {
  if (m.close) return db.close(), parentPort.close()
  const step = w.width * w.perCommit
  let done = 0
  try {
    for (; done < m.values.length; done += step) write(m.values, done, Math.min(m.values.length, done + step))
    parentPort.postMessage({ id: m.id, written: done / w.width })
  } catch (e) {
    parentPort.postMessage({ id: m.id, written: done / w.width, error: String((e && e.message) || e) })
  }
})
`

/** A writer thread for the SQLite file under `db`; undefined on PostgreSQL and in-memory SQLite. */
export function callWriterThread(db: Executor): CallWriter | undefined {
  const sqlite = capabilitiesOf(db).preparedRows
  if (!sqlite || sqlite.memory) return undefined
  const worker = new Worker(THREAD, {
    eval: true,
    workerData: {
      driver: createRequire(import.meta.url).resolve('better-sqlite3'),
      file: sqlite.name,
      synchronous: Number(sqlite.pragma('synchronous', { simple: true })),
      sql: `INSERT INTO call_records (${CALL_COLUMNS.join(', ')}) VALUES (${CALL_COLUMNS.map(() => '?').join(', ')})`,
      width: CALL_COLUMNS.length,
      perCommit: ROWS_PER_COMMIT,
    },
  })
  // Held open only while a write is on it: an idle writer keeps no process alive.
  worker.unref()
  const pending = new Map<number, { resolve: () => void; reject: (e: Error) => void }>()
  let next = 0
  let failed: Error | undefined
  const fail = (e: Error) => {
    failed = e
    for (const p of pending.values()) p.reject(e)
    pending.clear()
  }
  worker.on('message', (m: { id: number; written: number; error?: string }) => {
    const p = pending.get(m.id)
    pending.delete(m.id)
    if (pending.size === 0) worker.unref()
    if (m.error === undefined) p?.resolve()
    else p?.reject(new PartlyWritten(m.written, m.error))
  })
  worker.on('error', fail)
  worker.on('exit', () => fail(new Error('the call-record writer thread ended')))
  return {
    write(rows) {
      if (failed) return Promise.reject(failed)
      const values: unknown[] = []
      for (const r of rows) for (const c of CALL_COLUMNS) values.push(r[c])
      const id = next++
      return new Promise<void>((resolve, reject) => {
        if (pending.size === 0) worker.ref()
        pending.set(id, { resolve, reject })
        worker.postMessage({ id, values })
      })
    },
    async close() {
      if (failed) return
      const exited = new Promise((r) => worker.once('exit', r))
      worker.ref()
      worker.postMessage({ close: true })
      await exited
    },
  }
}
