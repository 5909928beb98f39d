/** The call recorder on both stores: rows as decided, owners resolved, a full buffer and a failing store drop and count. */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { DIALECTS } from '../../../test/helpers/dialects.js'
import { addAccount, openWorld, type World } from '../../../test/helpers/trusthub-store.js'
import { usNumber } from '../../../test/helpers/attestation-world.js'
import { placeNumbers } from '../../trusthub/numbers.js'
import { callPartitions, pruneCallRecords } from '../../store/call-records.repo.js'
import type { Decision } from '../../domain/attestation.js'
import type { Verdict } from '../vs/verifier.js'
import { CallRecorder } from './call-recorder.js'
import { identityHash } from './call-record.js'

const AT = Date.parse('2026-12-06T12:00:00.000Z')
const decision: Decision = {
  attest: 'A',
  rule: 'full-attestation',
  reasons: ['number is on approved business profile BU1 and approved trust product BU2'],
  profileSid: 'BU' + '1'.repeat(32),
  trustProductSid: 'BU' + '2'.repeat(32),
  origid: '7b3b0b7e-3c3c-4c4c-8d8d-0e0e0e0e0e0e',
  origin: 'inventory',
  missingForA: [],
  missingForB: [],
}
const verdict = (reason: 'passed' | 'cert_revoked'): Verdict => ({
  reason,
  verstat: reason === 'passed' ? 'TN-Validation-Passed' : 'TN-Validation-Failed',
  sipCode: 438,
  sipText: 'Invalid Identity Header',
  reasondesc: reason,
  attest: 'B',
  origid: decision.origid,
  spc: '123X',
  cert: { issuer: 'O=Test CA, C=US', serial: '0A1B' },
  x5u: 'https://certs.example.net:8443/sp.pem',
  checks: [],
})

for (const dialect of DIALECTS) {
  describe(`call recorder [${dialect}]`, () => {
    let w: World
    before(async () => {
      w = await openWorld(dialect)
    })
    after(async () => {
      await w.close()
    })

    const all = () => w.db.selectFrom('call_records').selectAll().orderBy('date_created').execute()

    it('writes signed and verified calls as decided, owners and parents resolved off the hot path', async () => {
      const isv = await addAccount(w.db)
      const sub = await addAccount(w.db, isv.sid)
      const held = usNumber()
      await placeNumbers(w.db, w.env.clock, sub.sid, [held])
      const rec = new CallRecorder(w.db, w.env.clock, { flushEveryMs: 0 })
      const owned: string[] = []
      rec.onOwned = (_, owner) => owned.push(owner)
      const identity = 'eyJhbGciOiJFUzI1NiJ9.eyJ9.c2ln;info=<https://cert.example/x.pem>;alg=ES256;ppt=shaken'
      rec.record({
        kind: 'signed',
        at: AT,
        accountSid: sub.sid,
        result: { orig: '+12125550100', dest: ['+13035550100'], decision, attest: 'A', identity, notes: [] },
        via: { transport: 'sip', requestId: 'call-1@sbc' },
      })
      rec.record({
        kind: 'verified',
        at: AT + 1,
        input: { identity: [identity], from: '+12125550100', to: [held] },
        verdict: verdict('cert_revoked'),
      })
      await rec.flush()
      const [s, v] = await all()
      assert.equal(s!.kind, 'signed')
      assert.equal(s!.account_sid, sub.sid)
      assert.equal(s!.parent_sid, isv.sid)
      assert.equal(s!.attest, 'A')
      assert.equal(s!.rule, 'full-attestation')
      assert.equal(s!.origin, 'inventory')
      assert.equal(s!.transport, 'sip')
      assert.equal(s!.request_id, 'call-1@sbc')
      assert.deepEqual(JSON.parse(s!.reasons), decision.reasons)
      // The hash is of the PASSporT alone: the same call is found whatever the header's parameters.
      assert.equal(s!.identity_hash, identityHash(identity.split(';')[0]! + ';info=<other>'))
      // A verification no account was named for belongs to the called number's holder.
      assert.equal(v!.kind, 'verified')
      assert.equal(v!.account_sid, sub.sid)
      assert.equal(v!.parent_sid, isv.sid)
      assert.equal(v!.reason, 'cert_revoked')
      assert.equal(v!.spc, '123X')
      assert.equal(v!.cert_issuer, 'O=Test CA, C=US')
      assert.equal(v!.x5u_host, 'certs.example.net:8443')
      assert.equal(rec.totals.written, 2)
      // Only the verification no account was named for is handed over, with the owner found.
      assert.deepEqual(owned, [sub.sid])
      if (dialect === 'postgres') assert.deepEqual(await callPartitions(w.db), ['call_records_20261206'])
    })

    it('drops what a full buffer cannot take, and counts it', async () => {
      const rec = new CallRecorder(w.db, w.env.clock, { flushEveryMs: 0, capacity: 3, batch: 100 })
      const acct = await addAccount(w.db)
      const e = {
        kind: 'signed',
        at: AT,
        accountSid: acct.sid,
        result: { orig: '+12125550100', dest: ['+13035550100'], decision, notes: [] },
      } as const
      for (let i = 0; i < 5; i++) rec.record(e)
      assert.equal(rec.totals.dropped, 2)
      await rec.flush()
      assert.equal(rec.totals.written, 3)
    })

    it('a store that fails drops the batch without throwing, and the next batch is written', async () => {
      const acct = await addAccount(w.db)
      let fail = true
      // The same store, refusing while `fail` is set: the recorder only sees a rejected write.
      const flaky = new Proxy(w.db, {
        get(target, prop) {
          if (fail && (prop === 'transaction' || prop === 'selectFrom')) throw new Error('connection lost')
          const v = Reflect.get(target, prop)
          return typeof v === 'function' ? v.bind(target) : v
        },
      })
      const rec = new CallRecorder(flaky, w.env.clock, { flushEveryMs: 0 })
      const e = {
        kind: 'signed',
        at: AT + 5,
        accountSid: acct.sid,
        result: { orig: '+12125550199', dest: ['+13035550100'], decision, notes: [] },
      } as const
      rec.record(e)
      await rec.flush()
      assert.equal(rec.totals.dropped, 1)
      fail = false
      rec.record(e)
      await rec.flush()
      assert.equal(rec.totals.written, 1)
      const rows = await w.db.selectFrom('call_records').select('orig').where('orig', '=', '+12125550199').execute()
      assert.equal(rows.length, 1)
    })

    it('retention drops the days before the cutoff: whole partitions on PostgreSQL, rows in batches on SQLite', async () => {
      const acct = await addAccount(w.db)
      const rec = new CallRecorder(w.db, w.env.clock, { flushEveryMs: 0 })
      for (const day of ['2026-09-01', '2026-09-02', '2026-12-05'])
        for (let i = 0; i < 3; i++)
          rec.record({
            kind: 'signed',
            at: Date.parse(`${day}T10:00:0${i}.000Z`),
            accountSid: acct.sid,
            result: { orig: '+12125550100', dest: ['+13035550100'], decision, notes: [] },
          })
      await rec.flush()
      const pruned = await pruneCallRecords(w.db, '2026-12-01T00:00:00.000Z', 2)
      const left = (await all()).map((r) => r.date_created.slice(0, 10))
      assert.ok(left.every((d) => d >= '2026-12-01'))
      assert.ok(left.includes('2026-12-05'))
      if (dialect === 'postgres') {
        assert.deepEqual(pruned.partitions, ['call_records_20260901', 'call_records_20260902'])
        assert.equal(pruned.rows, 0)
      } else assert.equal(pruned.rows, 6)
    })
  })
}
