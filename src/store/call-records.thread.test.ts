/** The SQLite writer thread: rows committed a transaction at a time, and a batch the store stops part way says how much it kept. */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { migrate, openStore, type Store } from './db.js'
import { callWriterThread, PartlyWritten, type CallWriter } from './call-records.thread.js'
import type { CallRecordRow } from './call-records.repo.js'

const row = (i: number): CallRecordRow => ({
  sid: 'CL' + i.toString(16).padStart(32, '0'),
  date_created: new Date(Date.parse('2026-12-06T00:00:00.000Z') + i).toISOString(),
  kind: 'signed',
  ppt: 'shaken',
  account_sid: 'AC' + '1'.repeat(32),
  parent_sid: null,
  orig: '12125550100',
  dest: '13035550100',
  dests: '["13035550100"]',
  attest: 'A',
  origid: null,
  transport: 'rest',
  request_id: null,
  identity_hash: null,
  rule: 'full-attestation',
  reasons: '[]',
  profile_sid: null,
  trust_product_sid: null,
  origin: null,
  spc: null,
  cert_issuer: null,
  cert_serial: null,
  x5u_host: null,
  verstat: null,
  reason: null,
})

describe('call-record writer thread (SQLite file)', () => {
  let dir: string
  let store: Store
  let writer: CallWriter
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stirhub-writer-'))
    store = await openStore(`sqlite:${path.join(dir, 's.db')}`)
    await migrate(store)
    writer = callWriterThread(store.db)!
  })
  after(async () => {
    await writer?.close()
    await store?.close()
    fs.rmSync(dir, { recursive: true, force: true })
  })
  const count = async () =>
    Number(
      (
        await store.db
          .selectFrom('call_records')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    )

  it('is not used in memory, where a second connection would see another database', async () => {
    const mem = await openStore('sqlite::memory:')
    assert.equal(callWriterThread(mem.db), undefined)
    await mem.close()
  })

  it('writes a batch the main connection then reads', async () => {
    await writer.write(Array.from({ length: 600 }, (_, i) => row(i)))
    assert.equal(await count(), 600)
  })

  it('a batch refused part way keeps the transactions committed before, and says how many rows they held', async () => {
    // Row 1,000 + 300 repeats row 1,000's key: the second transaction of 250 fails, the first stays.
    const rows = Array.from({ length: 600 }, (_, i) => row(1000 + i))
    rows[300] = row(1000)
    const err = await writer.write(rows).then(
      () => assert.fail('the duplicate key was accepted'),
      (e: unknown) => e,
    )
    assert.ok(err instanceof PartlyWritten)
    assert.equal(err.written, 250)
    assert.match(err.message, /UNIQUE/)
    assert.equal(await count(), 600 + 250)
  })
})
