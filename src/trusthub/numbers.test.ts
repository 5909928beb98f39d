/** Bulk placement of numbers without HTTP, on both stores (SQLite takes its prepared-row path). */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { DIALECTS } from '../../test/helpers/dialects.js'
import { addAccount, openWorld, type World } from '../../test/helpers/trusthub-store.js'
import { usNumber } from '../../test/helpers/attestation-world.js'
import { placeNumbers, requireOpenAccount } from './numbers.js'
import { holdersOf } from '../store/numbers.repo.js'
import { capabilitiesOf } from '../store/dialect.js'

for (const dialect of DIALECTS) {
  describe(`trusthub numbers [${dialect}]`, () => {
    let w: World
    before(async () => {
      w = await openWorld(dialect)
    })
    after(async () => {
      await w.close()
    })

    it('the engine says whether rows go through prepared statements: only SQLite, only inside a transaction', async () => {
      assert.equal(capabilitiesOf(w.db).preparedRows !== undefined, dialect === 'sqlite')
      await w.db
        .transaction()
        .execute(async (trx) => assert.equal(capabilitiesOf(trx).preparedRows !== undefined, dialect === 'sqlite'))
    })

    it("adds new numbers, counts the account's own, refuses another's and what does not parse", async () => {
      const acct = await addAccount(w.db)
      const other = await addAccount(w.db)
      const [a, b, c] = [usNumber(), usNumber(), usNumber()]
      assert.deepEqual(await placeNumbers(w.db, w.env.clock, other.sid, [c]), {
        added: 1,
        already_held: 0,
        refused: [],
      })
      const res = await placeNumbers(w.db, w.env.clock, acct.sid, [a, b, a, c, 'nope'])
      assert.equal(res.added, 2)
      assert.equal(res.already_held, 0)
      assert.deepEqual(
        res.refused.map((r) => [r.phone_number, r.code]),
        [
          ['nope', 21421],
          [c, 21422],
        ],
      )
      assert.deepEqual(await placeNumbers(w.db, w.env.clock, acct.sid, [b]), { added: 0, already_held: 1, refused: [] })
      const holders = await holdersOf(w.db, [a, b, c])
      assert.deepEqual([holders.get(a), holders.get(b), holders.get(c)], [acct.sid, acct.sid, other.sid])
    })

    it('a closed account takes no numbers', () => {
      requireOpenAccount({ sid: 'AC1', status: 'active' })
      assert.throws(() => requireOpenAccount({ sid: 'AC1', status: 'closed' }), /AC1 is closed/)
    })
  })
}
