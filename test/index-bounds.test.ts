/**
 * The attestation index's memory bound comes from STIRHUB_INDEX_MAX_NUMBERS: a customer
 * signing calls from ever new numbers (any `orig` may be signed, B at most when not ours)
 * cannot grow an API process beyond it.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { DIALECTS } from './helpers/dialects.js'
import { startServer, type TestServer } from './helpers/server.js'
import { newAccount, type Creds } from './helpers/http.js'

for (const dialect of DIALECTS) {
  describe(`attestation index bound [${dialect}]`, () => {
    let s: TestServer
    let a: Creds
    before(async () => {
      s = await startServer(dialect, { env: { STIRHUB_INDEX_MAX_NUMBERS: '1000' } })
      a = await newAccount(s.url, 'Many Numbers Co')
    })
    after(async () => {
      await s.stop()
    })

    it('keeps at most the configured numbers and half as many calls, however many a caller sends', async () => {
      const as = s.running.ctx.stiAs
      for (let i = 0; i < 1500; i += 100) {
        await Promise.all(
          Array.from({ length: 100 }, (_, j) =>
            as.service.sign({
              accountSid: a.sid,
              orig: `+1415${String(5_000_000 + i + j).padStart(7, '0')}`,
              dest: ['+12125551212'],
            }),
          ),
        )
        const sizes = as.index.sizes
        assert.ok(sizes.numbers <= 1000, `numbers ${sizes.numbers}`)
        assert.ok(sizes.calls <= 500, `calls ${sizes.calls}`)
      }
      assert.equal(as.index.sizes.numbers, 1000)
    })
  })
}
