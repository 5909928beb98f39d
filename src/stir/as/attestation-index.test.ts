import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { migrate, openStore } from '../../store/db.js'
import { AppError } from '../../domain/errors.js'
import { bumpDecisionVersion, readDecisionVersion, withDecisionBump } from '../../store/decision-version.repo.js'
import { AttestationIndex } from './attestation-index.js'

describe('attestation index (SQLite in memory)', () => {
  it('follows the store version and fails closed (503) when the store is gone', async () => {
    const store = await openStore('sqlite::memory:')
    await migrate(store)
    const index = new AttestationIndex({ store, clock: () => new Date() })
    await index.fresh()
    const v = index.version
    assert.equal(v, await readDecisionVersion(store.db))
    await bumpDecisionVersion(store.db)
    await withDecisionBump(store.db, async () => undefined)
    await index.fresh()
    assert.equal(index.version, v + 2)
    // Concurrent callers all resolve against a read that started after they arrived.
    await Promise.all(Array.from({ length: 20 }, () => index.fresh()))
    assert.equal(await index.decide('AC' + '0'.repeat(32), '12125550100', '12125551212'), undefined, 'unknown account')
    await store.close()
    await assert.rejects(index.decide('AC' + '0'.repeat(32), '12125550100', '12125551212'),
      (e: unknown) => e instanceof AppError && e.status === 503)
  })

  it('a failed write rolls its bump back with it', async () => {
    const store = await openStore('sqlite::memory:')
    await migrate(store)
    const before = await readDecisionVersion(store.db)
    await assert.rejects(withDecisionBump(store.db, async (t) => {
      await bumpDecisionVersion(t)
      throw new Error('write failed')
    }))
    assert.equal(await readDecisionVersion(store.db), before)
    await store.close()
  })

  it('never takes its version from a transaction that is still open (it may roll back)', async () => {
    const store = await openStore('sqlite::memory:')
    await migrate(store)
    const index = new AttestationIndex({ store, clock: () => new Date() })
    await index.fresh()
    const committed = index.version
    let during: Promise<void> | undefined
    await assert.rejects(store.db.transaction().execute(async (trx) => {
      await bumpDecisionVersion(trx)
      during = index.fresh()
      throw new Error('write failed')
    }))
    await during
    // Had it held the uncommitted value, the next committed bump would look like nothing moved.
    assert.equal(index.version, committed)
    await bumpDecisionVersion(store.db)
    await index.fresh()
    assert.equal(index.version, committed + 1)
    await store.close()
  })
})
