/** Sub-account and API-key rules without HTTP, on both stores. */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { DIALECTS } from '../../test/helpers/dialects.js'
import { addAccount, openWorld, type World } from '../../test/helpers/trusthub-store.js'
import { changeAccount, createSubAccount, newApiKey, requireAuthToken } from './accounts.js'
import { createSealer } from '../security/secrets.js'
import { findApiKey } from '../store/accounts.repo.js'

const sealer = createSealer('trusthub-test-master-key')

for (const dialect of DIALECTS) {
  describe(`trusthub accounts [${dialect}]`, () => {
    let w: World
    before(async () => {
      w = await openWorld(dialect)
    })
    after(async () => {
      await w.close()
    })

    it('an account creates sub-accounts; a sub-account does not', async () => {
      const parent = await addAccount(w.db)
      const { row, authToken } = await createSubAccount(w.db, sealer, w.env.clock, parent, 'Child')
      assert.equal(row.parent_sid, parent.sid)
      assert.equal(row.friendly_name, 'Child')
      assert.ok(authToken.length >= 32)
      // Unnamed: named for its creation time, read from the injected clock like its date_created.
      const at = new Date('2030-01-02T03:04:05.000Z')
      const unnamed = (await createSubAccount(w.db, sealer, () => at, parent)).row
      assert.deepEqual(
        [unnamed.friendly_name, unnamed.date_created],
        ['SubAccount Created at Wed, 02 Jan 2030 03:04:05 GMT', at.toISOString()],
      )
      await assert.rejects(createSubAccount(w.db, sealer, w.env.clock, row), /A sub-account cannot create sub-accounts/)
    })

    it("a parent changes a sub-account's status; no account changes its own", async () => {
      const parent = await addAccount(w.db)
      const { row: sub } = await createSubAccount(w.db, sealer, w.env.clock, parent)
      assert.equal(
        (await changeAccount(w.db, w.env.clock, parent.sid, sub.sid, { status: 'suspended' })).status,
        'suspended',
      )
      await assert.rejects(
        changeAccount(w.db, w.env.clock, parent.sid, parent.sid, { status: 'suspended' }),
        /cannot change its own status/,
      )
      assert.equal(
        (await changeAccount(w.db, w.env.clock, parent.sid, parent.sid, { friendlyName: 'Renamed' })).friendly_name,
        'Renamed',
      )
    })

    it('API keys: created with a secret shown once; credentials are managed with an auth token only', async () => {
      const acct = await addAccount(w.db)
      const { row, secret } = await newApiKey(w.db, w.env.clock, acct.sid)
      assert.match(row.sid, /^SK/)
      assert.ok(secret.length >= 32)
      assert.equal((await findApiKey(w.db, row.sid))!.account_sid, acct.sid)
      requireAuthToken('auth-token')
      requireAuthToken('parent-token')
      assert.throws(() => requireAuthToken('api-key'), /API keys cannot manage accounts or keys/)
    })
  })
}
