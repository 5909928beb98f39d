import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { migrate, openStore } from '../../store/db.js'
import { signingCountsByAccount } from '../../store/signing-counters.repo.js'
import { SigningCounter } from './signing-counter.js'

describe('SigningCounter', () => {
  it('buckets by the hour of the clock, across hour changes either way', async () => {
    const store = await openStore('sqlite::memory:')
    await migrate(store)
    let now = Date.parse('2026-11-28T10:59:59.999Z')
    const counter = new SigningCounter(store.db, () => new Date(now), 0)
    counter.count('AC1', 'A')
    now += 1 // 11:00:00.000
    counter.count('AC1', 'A')
    counter.count('AC1', 'B')
    now = Date.parse('2026-11-28T09:30:00Z') // a clock set back
    counter.count('AC1', 'A')
    await counter.close()
    const rows = (await signingCountsByAccount(store.db, ['AC1'])).get('AC1')!
    assert.deepEqual(
      rows.map((r) => [r.hour, r.attest, Number(r.count)]),
      [
        ['2026-11-28T09', 'A', 1],
        ['2026-11-28T10', 'A', 1],
        ['2026-11-28T11', 'A', 1],
        ['2026-11-28T11', 'B', 1],
      ],
    )
    await store.close()
  })
})
