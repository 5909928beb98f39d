import { strict as assert } from 'node:assert'
import { describe, it } from 'node:test'
import { migrate, openStore } from './db.js'
import { freePort } from '../../test/helpers/server.js'

describe('opening the store', () => {
  it('a PostgreSQL server that does not answer is named as such, not as a failed migration', async () => {
    const store = await openStore(`postgres://stirhub@127.0.0.1:${await freePort()}/nowhere`)
    try {
      await assert.rejects(migrate(store), /^Error: the store did not answer: .*ECONNREFUSED/)
    } finally {
      await store.close()
    }
  })
})
