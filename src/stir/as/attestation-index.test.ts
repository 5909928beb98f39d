import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { migrate, openStore } from '../../store/db.js'
import { AppError } from '../../domain/errors.js'
import { randomUUID } from 'node:crypto'
import { bumpDecisionVersion, readDecisionVersion, scope, withDecisionBump } from '../../store/decision-version.repo.js'
import { AttestationIndex, type IndexLimits } from './attestation-index.js'
import { newSid } from '../../domain/ids.js'
import { POLICY } from '../../domain/policies.js'
import type { Db } from '../../store/db.js'
import { findBundleForOperator } from '../../store/bundles.repo.js'
import { changeBundleStatus } from '../../vetting/bundle-status.js'
import { insertNumber, releaseNumber } from '../../store/numbers.repo.js'
import { updateAccount } from '../../store/accounts.repo.js'
import { addBundle, addNumberRow, assignNumberRow, usNumber } from '../../../test/helpers/attestation-world.js'

/** An active account (a sub-account of `parent` when given); its SID. */
async function addAccount(db: Db, parent: string | null = null): Promise<string> {
  const now = new Date().toISOString()
  const sid = newSid('AC')
  await db
    .insertInto('accounts')
    .values({
      sid,
      parent_sid: parent,
      friendly_name: 'f',
      status: 'active',
      auth_token_hash: 'x',
      auth_token_sealed: 'x',
      origid: randomUUID(),
      date_created: now,
      date_updated: now,
    })
    .execute()
  return sid
}

/** A direct customer whose number deserves A. */
async function family(db: Db) {
  const acct = await addAccount(db)
  const profile = await addBundle(db, acct, POLICY.PRIMARY_PROFILE)
  const trust = await addBundle(db, acct, POLICY.SHAKEN_STIR, 'twilio-approved', profile)
  const num = await addNumberRow(db, acct)
  await assignNumberRow(db, profile, acct, num.sid, 'customer-profile')
  await assignNumberRow(db, trust, acct, num.sid, POLICY.SHAKEN_STIR)
  return { acct, trust, tn: num.phone.slice(1) }
}

const DEST = '12125551212'
const clock = () => new Date()

/** A migrated in-memory store and an index over it. */
async function memoryIndex(limits?: Partial<IndexLimits>) {
  const store = await openStore('sqlite::memory:')
  await migrate(store)
  return { store, index: new AttestationIndex({ store, clock, limits }) }
}

describe('attestation index (SQLite in memory)', () => {
  it('follows the store version and fails closed (503) when the store is gone', async () => {
    const { store, index } = await memoryIndex()
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
    await assert.rejects(
      index.decide('AC' + '0'.repeat(32), '12125550100', '12125551212'),
      (e: unknown) => e instanceof AppError && e.status === 503,
    )
  })

  it('a remembered decision follows the clock across an expiry, with no store write', async () => {
    const store = await openStore('sqlite::memory:')
    await migrate(store)
    const f = await family(store.db)
    // The first of the family's approvals to run out (each was stamped a year from its own creation).
    const rows = await store.db.selectFrom('bundles').select('valid_until').where('account_sid', '=', f.acct).execute()
    const expiry = Math.min(...rows.map((r) => Date.parse(r.valid_until!)))
    let t = Date.now()
    const index = new AttestationIndex({ store, clock: () => new Date(t) })
    assert.equal((await index.decide(f.acct, f.tn, DEST))?.attest, 'A')
    assert.equal((await index.decide(f.acct, f.tn, DEST))?.attest, 'A')
    const loads = index.loads
    t = expiry - 1
    assert.equal((await index.decide(f.acct, f.tn, DEST))?.attest, 'A', 'valid until the last millisecond')
    t = expiry
    const expired = await index.decide(f.acct, f.tn, DEST)
    assert.equal(expired?.attest, 'C', 'an approval expired: neither A nor B')
    assert.match(expired!.missingForA.join(' '), /expired/)
    t = Date.now() // a clock set back
    assert.equal((await index.decide(f.acct, f.tn, DEST))?.attest, 'A')
    assert.equal(index.loads, loads, 'decided from memory')
    await store.close()
  })

  it('stays within its memory bounds when callers send endless distinct numbers, and still decides right', async () => {
    const store = await openStore('sqlite::memory:')
    await migrate(store)
    const f = await family(store.db)
    const limits = { accounts: 5, numbers: 20, bundles: 10, calls: 15 }
    const index = new AttestationIndex({ store, clock, limits })
    assert.equal((await index.decide(f.acct, f.tn, DEST))?.attest, 'A')
    for (let i = 0; i < 200; i++) {
      // Numbers that are not ours: B at most, and each one a new entry a caller chose.
      assert.equal((await index.decide(f.acct, `1415555${String(i).padStart(4, '0')}`, DEST))?.attest, 'B')
      const sizes = index.sizes
      for (const k of Object.keys(limits) as (keyof typeof limits)[])
        assert.ok(sizes[k] <= limits[k], `${k}: ${sizes[k]} > ${limits[k]}`)
    }
    assert.equal(index.sizes.numbers, limits.numbers)
    // The first number was evicted long ago: it is read again, and still gets A.
    const loads = index.loads
    assert.equal((await index.decide(f.acct, f.tn, DEST))?.attest, 'A')
    assert.ok(index.loads > loads, 'reloaded from the store')
    // A revocation still reaches a reloaded entry.
    await store.db.transaction().execute(async (trx) => {
      await changeBundleStatus(trx, { clock }, (await findBundleForOperator(trx, f.trust))!, 'twilio-rejected', {
        actor: 'test',
      })
    })
    assert.equal((await index.decide(f.acct, f.tn, DEST))?.attest, 'C')
    await store.close()
  })

  it('a failed write rolls its bump back with it', async () => {
    const store = await openStore('sqlite::memory:')
    await migrate(store)
    const before = await readDecisionVersion(store.db)
    await assert.rejects(
      withDecisionBump(store.db, async (t) => {
        await bumpDecisionVersion(t)
        throw new Error('write failed')
      }),
    )
    assert.equal(await readDecisionVersion(store.db), before)
    await store.close()
  })

  it('never takes its version from a transaction that is still open (it may roll back)', async () => {
    const { store, index } = await memoryIndex()
    await index.fresh()
    const committed = index.version
    let during: Promise<void> | undefined
    await assert.rejects(
      store.db.transaction().execute(async (trx) => {
        await bumpDecisionVersion(trx)
        during = index.fresh()
        throw new Error('write failed')
      }),
    )
    await during
    // Had it held the uncommitted value, the next committed bump would look like nothing moved.
    assert.equal(index.version, committed)
    await bumpDecisionVersion(store.db)
    await index.fresh()
    assert.equal(index.version, committed + 1)
    await store.close()
  })

  it('a change drops only what it touched; a gap in the change log drops everything', async () => {
    const { store, index } = await memoryIndex()
    const a = await family(store.db)
    const b = await family(store.db)
    for (const f of [a, b]) assert.equal((await index.decide(f.acct, f.tn, DEST))?.attest, 'A')
    // A number not ours yet: remembered as such.
    const newcomer = usNumber()
    assert.equal((await index.decide(a.acct, newcomer.slice(1), DEST))?.attest, 'B')
    const warm = index.loads

    await store.db.transaction().execute(async (trx) => {
      await changeBundleStatus(trx, { clock }, (await findBundleForOperator(trx, b.trust))!, 'twilio-rejected', {
        actor: 'test',
      })
    })
    assert.equal((await index.decide(a.acct, a.tn, DEST))?.attest, 'A')
    assert.equal(index.loads, warm, 'family a answered from memory after a change to family b')
    assert.equal((await index.decide(b.acct, b.tn, DEST))?.attest, 'C')
    assert.ok(index.loads > warm, 'family b reloaded')

    const now = new Date().toISOString()
    await insertNumber(store.db, {
      sid: newSid('PN'),
      account_sid: a.acct,
      phone_number: newcomer,
      friendly_name: 'n',
      status_callback: null,
      origin: 'inventory',
      date_created: now,
      date_updated: now,
    })
    const before = index.loads
    assert.equal((await index.decide(a.acct, newcomer.slice(1), DEST))?.attest, 'B')
    assert.ok(index.loads > before, 'the number that became ours was looked up again')

    // Changes pruned (or never written): the index cannot know what moved, so it drops all.
    await bumpDecisionVersion(store.db, ['bundle:BU' + '0'.repeat(32)])
    await store.db.deleteFrom('decision_changes').execute()
    const pruned = index.loads
    assert.equal((await index.decide(a.acct, a.tn, DEST))?.attest, 'A')
    assert.ok(index.loads > pruned, 'reloaded after a gap')
    await store.close()
  })

  it('a change drops only the remembered calls built from what it touched', async () => {
    const { store, index } = await memoryIndex()
    const a = await family(store.db)
    const b = await family(store.db)
    // A sub-account of b: its calls decide on b's rule-3 family.
    const now = new Date().toISOString()
    const sub = await addAccount(store.db, b.acct)
    const foreign = usNumber().slice(1)
    // aFromB: a calling from b's number (not a's own, so B at most), built from b's bundles.
    const calls = {
      a: [a.acct, a.tn],
      aForeign: [a.acct, foreign],
      aFromB: [a.acct, b.tn],
      b: [b.acct, b.tn],
      sub: [sub, usNumber().slice(1)],
    } as const
    const level = async (k: keyof typeof calls) => (await index.decide(calls[k][0], calls[k][1], DEST))?.attest
    const expect = async (want: Record<keyof typeof calls, string>) => {
      for (const k of Object.keys(calls) as (keyof typeof calls)[]) assert.equal(await level(k), want[k], k)
    }
    await expect({ a: 'A', aForeign: 'B', aFromB: 'B', b: 'A', sub: 'B' })
    assert.equal(index.sizes.calls, 5)
    const filed = index.filed

    // b's trust product rejected: b's call, its sub-account's (same family) and a's from b's number go.
    await store.db.transaction().execute(async (trx) => {
      await changeBundleStatus(trx, { clock }, (await findBundleForOperator(trx, b.trust))!, 'twilio-rejected', {
        actor: 'test',
      })
    })
    await index.fresh()
    assert.equal(index.sizes.calls, 2, 'a and a-foreign kept')
    await expect({ a: 'A', aForeign: 'B', aFromB: 'B', b: 'C', sub: 'C' })
    assert.equal(index.filed, filed, 'dropped calls leave nothing filed behind')

    // The foreign number becomes b's: only the call that remembered it as not ours goes.
    await insertNumber(store.db, {
      sid: newSid('PN'),
      account_sid: b.acct,
      phone_number: '+' + foreign,
      friendly_name: 'n',
      status_callback: null,
      origin: 'inventory',
      date_created: now,
      date_updated: now,
    })
    await index.fresh()
    assert.equal(index.sizes.calls, 4)
    await expect({ a: 'A', aForeign: 'B', aFromB: 'B', b: 'C', sub: 'C' })

    // a's number released (a number scope): a's call goes, and is B afterwards.
    const aNumber = await store.db
      .selectFrom('phone_numbers')
      .select('sid')
      .where('phone_number', '=', '+' + a.tn)
      .executeTakeFirstOrThrow()
    await store.db.transaction().execute((trx) => releaseNumber(trx, a.acct, aNumber.sid))
    await index.fresh()
    assert.equal(index.sizes.calls, 4)
    await expect({ a: 'B', aForeign: 'B', aFromB: 'B', b: 'C', sub: 'C' })

    // The sub-account suspended (an account scope): its calls go, nothing else.
    await updateAccount(store.db, sub, { status: 'suspended' }, now)
    await index.fresh()
    assert.equal(index.sizes.calls, 4)
    assert.equal(await level('sub'), undefined, 'a suspended account is not decided for')
    // Everything dropped at once (a change with no scope): nothing stays filed.
    await bumpDecisionVersion(store.db)
    await index.fresh()
    assert.deepEqual([index.sizes.calls, index.filed], [0, 0])
    await store.close()
  })

  it('a bundle change reaches the rule-3 families that hold it, even when its own entry was bounded out', async () => {
    const { store, index } = await memoryIndex({ bundles: 1 })
    const c = await family(store.db)
    const sub = await addAccount(store.db, c.acct)
    const foreign = usNumber().slice(1)
    assert.equal((await index.decide(sub, foreign, DEST))?.attest, 'B', "from the parent's family alone")
    // A write that names only the bundle (no family scope): the family must still be dropped.
    await withDecisionBump(
      store.db,
      (trx) => trx.updateTable('bundles').set({ status: 'twilio-rejected' }).where('sid', '=', c.trust).execute(),
      { scopes: [scope.bundle(c.trust)] },
    )
    assert.equal((await index.decide(sub, foreign, DEST))?.attest, 'C')
    await store.close()
  })

  it('a family bounded out of the index takes its remembered calls with it, and changes still reach them', async () => {
    const { store, index } = await memoryIndex({ accounts: 1 })
    const a = await family(store.db)
    const b = await family(store.db)
    assert.equal((await index.decide(a.acct, a.tn, DEST))?.attest, 'A')
    assert.equal((await index.decide(b.acct, b.tn, DEST))?.attest, 'A')
    assert.equal(index.sizes.calls, 1, "b's family pushed a's out, and a's call with it")
    await store.db.transaction().execute(async (trx) => {
      await changeBundleStatus(trx, { clock }, (await findBundleForOperator(trx, a.trust))!, 'twilio-rejected', {
        actor: 'test',
      })
    })
    assert.equal((await index.decide(a.acct, a.tn, DEST))?.attest, 'C')
    assert.equal((await index.decide(b.acct, b.tn, DEST))?.attest, 'A')
    // What the bound pushed out leaves nothing filed: the same as an index that saw b alone.
    const alone = new AttestationIndex({ store, clock, limits: { accounts: 1 } })
    assert.equal((await alone.decide(b.acct, b.tn, DEST))?.attest, 'A')
    assert.equal(index.filed, alone.filed)
    await store.close()
  })

  it('prewarm loads accounts and rule-3 sets: a first call reads only its number, and changes still apply', async () => {
    const { store, index } = await memoryIndex()
    const a = await family(store.db)
    const b = await family(store.db)
    const warmed = await index.prewarm()
    assert.deepEqual(warmed, { accounts: 2, bundles: 4 })
    const before = index.loads
    assert.equal((await index.decide(a.acct, a.tn, DEST))?.attest, 'A')
    assert.equal((await index.decide(b.acct, usNumber().slice(1), DEST))?.attest, 'B')
    assert.equal(index.loads - before, 2, 'one number read per call, nothing else')
    await store.db.transaction().execute(async (trx) => {
      await changeBundleStatus(trx, { clock }, (await findBundleForOperator(trx, a.trust))!, 'twilio-rejected', {
        actor: 'test',
      })
    })
    assert.equal((await index.decide(a.acct, a.tn, DEST))?.attest, 'C')
    assert.equal((await index.prewarm(1)).accounts, 1, 'bounded')
    await store.close()
  })
})
