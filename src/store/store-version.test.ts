import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { StoreVersion } from './store-version.js'
import type { StoreVersions } from './decision-version.repo.js'

/** Lets the event loop finish this turn: reads start at its end. */
const turn = () => new Promise((r) => setImmediate(r))

/** A version view over a store whose reads the test settles by hand, in order. */
function manualStore(timeoutMs = 0) {
  const pending: Array<{ resolve: (v: StoreVersions) => void; reject: (e: Error) => void }> = []
  let decisions = 0
  const s = {
    reads: () => pending.length,
    bump: () => {
      decisions++
    },
    read: () => new Promise<StoreVersions>((resolve, reject) => pending.push({ resolve, reject })),
    /** Completes the oldest read with the versions as they are now. */
    settle: async () => {
      await turn()
      pending.shift()!.resolve({ decisions, credentials: 0, trunks: 0 })
      await turn()
    },
    fail: async () => {
      await turn()
      pending.shift()!.reject(new Error('connection refused'))
      await turn()
    },
  }
  return { s, v: new StoreVersion(s.read, timeoutMs) }
}

describe('StoreVersion', () => {
  it('concurrent callers with the same ticket share one read', async () => {
    const { s, v } = manualStore()
    const t = v.ticket()
    const a = v.fresh(t)
    const b = v.fresh(t)
    await turn()
    assert.equal(s.reads(), 1)
    await s.settle()
    assert.deepEqual(await a, await b)
  })

  it('a caller that arrived during a read waits for a read that started after it', async () => {
    const { s, v } = manualStore()
    const early = v.fresh(v.ticket())
    await turn()
    // A write commits, then a request arrives while the first read is still in flight.
    s.bump()
    const late = v.fresh(v.ticket())
    await s.settle() // the first read answers with the old version... or the new: either is fine for `early`
    await turn()
    assert.equal(s.reads(), 1, 'a second read started for the late caller')
    await s.settle()
    assert.equal((await late).decisions, 1)
    assert.ok((await early).decisions <= 1)
  })

  it('a completed read answers callers whose ticket predates it, without another read', async () => {
    const { s, v } = manualStore()
    const t = v.ticket()
    const first = v.fresh()
    await s.settle()
    await first
    await v.fresh(t)
    await turn()
    assert.equal(s.reads(), 0)
    // A ticket taken after that read needs a new one.
    const next = v.fresh(v.ticket())
    await turn()
    assert.equal(s.reads(), 1)
    s.bump()
    await s.settle()
    assert.equal((await next).decisions, 1)
  })

  it('a synchronous read starts at the end of the turn: callers of one turn share it, a later turn reads again', async () => {
    let reads = 0
    let decisions = 0
    const v = new StoreVersion(async () => {
      reads++
      return { decisions, credentials: 0, trunks: 0 }
    }, 0)
    // Three requests received in one turn, one of them with a ticket taken before the others.
    const t = v.ticket()
    const answers = Promise.all([v.fresh(t), v.fresh(v.ticket()), v.fresh()])
    decisions = 1 // committed before the read started: all three see it
    assert.deepEqual(
      (await answers).map((x) => x.decisions),
      [1, 1, 1],
    )
    assert.equal(reads, 1)
    // A request arriving after that read started needs a read of its own.
    decisions = 2
    assert.equal((await v.fresh(v.ticket())).decisions, 2)
    assert.equal(reads, 2)
  })

  it('a failed read is 503 for everyone waiting on it, and the next caller tries again', async () => {
    const { s, v } = manualStore()
    const t = v.ticket()
    const a = v.fresh(t)
    const b = v.fresh(t)
    const both = Promise.allSettled([a, b])
    await s.fail()
    for (const r of await both) {
      assert.equal(r.status, 'rejected')
      const e = (r as PromiseRejectedResult).reason
      assert.ok(e.key === 'UNAVAILABLE' && e.status === 503 && /cannot be reached/.test(e.message), String(e))
    }
    const c = v.fresh()
    await s.settle()
    assert.equal((await c).decisions, 0)
  })

  it('a read that hangs past the timeout is 503, not a stale answer', async () => {
    const { s, v } = manualStore(20)
    const first = v.fresh()
    await s.settle()
    await first
    await assert.rejects(
      v.fresh(v.ticket()),
      (e: any) => e.key === 'UNAVAILABLE' && e.status === 503 && /timed out/.test(e.message),
    )
  })
})
