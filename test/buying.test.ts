/**
 * Numbers come from somewhere real (DESIGN §2): a customer cannot add a number nobody holds, it
 * buys one from the operator's inventory (found through AvailablePhoneNumbers), and releasing
 * returns it there. The official twilio SDK searches, buys and releases; two accounts buying the
 * same number at once: exactly one wins. Every placement, purchase, release and confirmation is
 * an audit event. On SQLite and PostgreSQL.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { sdk } from './helpers/twilio-sdk.js'
import { DIALECTS } from './helpers/dialects.js'
import { ADMIN_TOKEN, startServer, type TestServer } from './helpers/server.js'
import { http, newAccount, newSubAccount } from './helpers/http.js'
import { buyNumber, stockInventory } from './helpers/onboarding.js'

const operator = { bearer: ADMIN_TOKEN }
let seq = 0
/** Fresh numbers of one area code for this process (exchange 2xx: valid, never 555 or N11). */
const freshIn = (npa: string, n = 1) =>
  Array.from({ length: n }, () => {
    seq++
    return `+1${npa}${200 + Math.floor(seq / 10_000)}${String(seq % 10_000).padStart(4, '0')}`
  })
const inventoryRow = async (url: string, e164: string) =>
  (
    await http(url, 'GET', `/admin/v1/PhoneNumberInventory?AreaCode=${e164.slice(2, 5)}&PageSize=1000`, {
      auth: operator,
    })
  ).body.results.find((r: any) => r.phone_number === e164)
const eventsOf = async (url: string, sid: string) =>
  (await http(url, 'GET', `/admin/v1/Events?ResourceSid=${sid}`, { auth: operator })).body.results
    .map((e: any) => e.type)
    .sort()

for (const dialect of DIALECTS) {
  describe(`buying numbers from the inventory [${dialect}]`, () => {
    let s: TestServer
    before(async () => {
      s = await startServer(dialect)
    })
    after(async () => {
      await s.stop()
    })

    it('a customer cannot invent a number: anything outside the inventory is refused with 21422', async () => {
      const a = await newAccount(s.url)
      for (const n of ['+12024561111', '+18005551212', '+19005551212', freshIn('312')[0]!]) {
        const r = await buyNumber(s.url, a, n)
        assert.equal(r.status, 400, n)
        assert.equal(r.body.code, 21422, n)
        assert.match(r.body.message, /not in this platform's inventory/)
      }
      // The inventory refuses what it cannot sell as local or toll-free.
      const imp = await stockInventory(s.url, ['+19005551212', '+15005551234', '+442071838750', 'nope'])
      assert.equal(imp.added, 0)
      assert.deepEqual(
        imp.refused.map((r: any) => r.code),
        [21421, 21421, 21421, 21421],
      )
      const list = await http(s.url, 'GET', `/2010-04-01/Accounts/${a.sid}/IncomingPhoneNumbers.json`, { auth: a })
      assert.deepEqual(list.body.incoming_phone_numbers, [])
    })

    it('import counts, lists with filters and keyset pages; a held number cannot leave the inventory', async () => {
      const nums = freshIn('646', 5)
      const first = await stockInventory(s.url, [...nums, nums[0]!, '12345'])
      assert.deepEqual([first.added, first.already_present, first.refused.length], [5, 0, 1])
      const again = await stockInventory(s.url, nums.slice(0, 2))
      assert.deepEqual([again.added, again.already_present], [0, 2])
      const seen: string[] = []
      let url: string | null = `/admin/v1/PhoneNumberInventory?AreaCode=646&Status=available&PageSize=2`
      while (url) {
        const r = await http(s.url, 'GET', url.replace(/^https?:\/\/[^/]+/, ''), { auth: operator })
        assert.equal(r.status, 200, JSON.stringify(r.body))
        seen.push(...r.body.results.map((x: any) => x.phone_number))
        url = r.body.meta.next_page_url
      }
      assert.deepEqual(seen, [...nums].sort())
      const a = await newAccount(s.url)
      assert.equal((await buyNumber(s.url, a, nums[0]!)).status, 201)
      assert.equal((await inventoryRow(s.url, nums[0]!)).status, 'held')
      const held = await http(s.url, 'GET', '/admin/v1/PhoneNumberInventory?AreaCode=646&Status=held', {
        auth: operator,
      })
      assert.deepEqual(
        held.body.results.map((x: any) => x.phone_number),
        [nums[0]],
      )
      assert.equal(
        (await http(s.url, 'DELETE', `/admin/v1/PhoneNumberInventory/${nums[0]}`, { auth: operator })).status,
        409,
      )
      assert.equal(
        (
          await http(s.url, 'DELETE', `/admin/v1/PhoneNumberInventory/${encodeURIComponent(nums[1]!)}`, {
            auth: operator,
          })
        ).status,
        204,
      )
      assert.equal(await inventoryRow(s.url, nums[1]!), undefined)
      assert.equal(
        (await http(s.url, 'DELETE', `/admin/v1/PhoneNumberInventory/${nums[1]}`, { auth: operator })).status,
        404,
      )
      assert.equal(
        (await http(s.url, 'GET', '/admin/v1/PhoneNumberInventory', { auth: { bearer: 'nope' } })).status,
        401,
      )
    })

    it('buys by area code (21452 when nothing is free), by kind, and releasing returns it to the inventory', async () => {
      const p = await newAccount(s.url)
      const child = await newSubAccount(s.url, p)
      const [local] = freshIn('505')
      const [toll] = freshIn('877')
      await stockInventory(s.url, [local!, toll!])
      const wrongKind = await http(s.url, 'POST', `/2010-04-01/Accounts/${p.sid}/IncomingPhoneNumbers/TollFree.json`, {
        auth: p,
        form: { PhoneNumber: local! },
      })
      assert.deepEqual([wrongKind.status, wrongKind.body.code], [400, 21422])
      // The parent buys for its sub-account.
      const r = await http(s.url, 'POST', `/2010-04-01/Accounts/${child.sid}/IncomingPhoneNumbers.json`, {
        auth: p,
        form: { AreaCode: '505' },
      })
      assert.equal(r.status, 201, JSON.stringify(r.body))
      assert.deepEqual(
        [r.body.phone_number, r.body.account_sid, r.body.right_to_use_origin, r.body.origin],
        [local, child.sid, 'inventory', 'twilio'],
      )
      const none = await http(s.url, 'POST', `/2010-04-01/Accounts/${p.sid}/IncomingPhoneNumbers.json`, {
        auth: p,
        form: { AreaCode: '505' },
      })
      assert.deepEqual([none.status, none.body.code], [400, 21452])
      const missing = await http(s.url, 'POST', `/2010-04-01/Accounts/${p.sid}/IncomingPhoneNumbers.json`, {
        auth: p,
        form: { FriendlyName: 'x' },
      })
      assert.deepEqual([missing.status, missing.body.code], [400, 20001])
      const tf = await http(s.url, 'POST', `/2010-04-01/Accounts/${p.sid}/IncomingPhoneNumbers/TollFree.json`, {
        auth: p,
        form: { PhoneNumber: toll! },
      })
      assert.equal(tf.status, 201)
      assert.equal((await http(s.url, 'DELETE', r.body.uri, { auth: child })).status, 204)
      assert.equal((await inventoryRow(s.url, local!)).status, 'available')
      const other = await newAccount(s.url)
      assert.equal((await buyNumber(s.url, other, local!)).status, 201, 'a released number can be bought again')
      assert.deepEqual(await eventsOf(s.url, r.body.sid), ['number.purchased', 'number.released'])
      const mine = await http(s.url, 'GET', `/v1/Events?ResourceSid=${r.body.sid}`, { auth: p })
      assert.deepEqual(mine.body.results.map((e: any) => [e.type, e.actor]).sort(), [
        ['number.purchased', p.sid],
        ['number.released', child.sid],
      ])
      assert.equal(
        (await http(s.url, 'GET', `/v1/Events?ResourceSid=${r.body.sid}`, { auth: other })).body.results.length,
        0,
        'another tenant sees nothing',
      )
    })

    it('operator placement marks an inventory number held; releasing it frees it; a number outside the inventory simply goes', async () => {
      const a = await newAccount(s.url)
      const [inInventory, outside] = freshIn('617', 2)
      await stockInventory(s.url, [inInventory!])
      const placed = await http(s.url, 'POST', `/admin/v1/Accounts/${a.sid}/IncomingPhoneNumbers`, {
        auth: operator,
        json: { PhoneNumbers: [inInventory, outside] },
      })
      assert.equal(placed.body.added, 2)
      assert.equal((await inventoryRow(s.url, inInventory!)).status, 'held')
      const list = (await http(s.url, 'GET', `/2010-04-01/Accounts/${a.sid}/IncomingPhoneNumbers.json`, { auth: a }))
        .body.incoming_phone_numbers
      assert.deepEqual(
        list.map((n: any) => n.right_to_use_origin),
        ['operator', 'operator'],
      )
      const b = await newAccount(s.url)
      assert.equal((await buyNumber(s.url, b, inInventory!)).body.code, 21422, 'held by placement')
      for (const n of list) {
        assert.deepEqual(await eventsOf(s.url, n.sid), ['number.placed'])
        assert.equal((await http(s.url, 'DELETE', n.uri, { auth: a })).status, 204)
      }
      assert.equal((await inventoryRow(s.url, inInventory!)).status, 'available')
      assert.equal(await inventoryRow(s.url, outside!), undefined)
      assert.equal((await buyNumber(s.url, b, outside!)).body.code, 21422, "released, but never the inventory's")
      // A number placed before it was imported enters the inventory as held.
      const [early] = freshIn('617')
      await http(s.url, 'POST', `/admin/v1/Accounts/${a.sid}/IncomingPhoneNumbers`, {
        auth: operator,
        json: { PhoneNumbers: [early] },
      })
      await stockInventory(s.url, [early!])
      assert.equal((await inventoryRow(s.url, early!)).status, 'held')
    })

    it('two accounts buying the same numbers at once: exactly one wins each', async () => {
      const [a, b] = [await newAccount(s.url), await newAccount(s.url)]
      const nums = freshIn('718', 12)
      await stockInventory(s.url, nums)
      const race = await Promise.all(nums.flatMap((n) => [buyNumber(s.url, a, n), buyNumber(s.url, b, n)]))
      for (let i = 0; i < nums.length; i++) {
        const pair = [race[2 * i]!, race[2 * i + 1]!]
        assert.deepEqual(pair.map((r) => r.status).sort(), [201, 400], JSON.stringify(pair.map((r) => r.body)))
        assert.equal(pair.find((r) => r.status === 400)!.body.code, 21422)
      }
      // Racing by area code: every purchase gets a different number, and the rest are told 21452.
      const area = freshIn('303', 3)
      await stockInventory(s.url, area)
      const byArea = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          http(s.url, 'POST', `/2010-04-01/Accounts/${(i % 2 ? a : b).sid}/IncomingPhoneNumbers.json`, {
            auth: i % 2 ? a : b,
            form: { AreaCode: '303' },
          }),
        ),
      )
      const won = byArea.filter((r) => r.status === 201).map((r) => r.body.phone_number)
      assert.deepEqual([...won].sort(), [...area].sort())
      assert.ok(
        byArea.filter((r) => r.status !== 201).every((r) => r.body.code === 21452),
        JSON.stringify(byArea.map((r) => r.body.code)),
      )
      const held = await http(s.url, 'GET', '/admin/v1/PhoneNumberInventory?AreaCode=718&Status=held&PageSize=100', {
        auth: operator,
      })
      assert.equal(held.body.results.length, nums.length)
    })

    it('the official twilio SDK searches, buys and releases', async () => {
      const a = await newAccount(s.url)
      const nums = freshIn('206', 3)
      const [toll] = freshIn('866')
      await stockInventory(s.url, [...nums, toll!])
      const client = sdk(s.url, a)
      const acct = client.api.v2010.accounts(a.sid)
      const countries = await acct.availablePhoneNumbers.list()
      assert.deepEqual(
        countries.map((c) => c.countryCode),
        ['US'],
      )
      const found = await acct.availablePhoneNumbers('US').local.list({ areaCode: 206, limit: 2 })
      assert.equal(found.length, 2)
      assert.deepEqual(
        [found[0]!.phoneNumber, found[0]!.isoCountry, found[0]!.capabilities.voice],
        [nums[0], 'US', true],
      )
      const contains = await acct.availablePhoneNumbers('US').local.list({ contains: nums[2]!.slice(-4) })
      assert.ok(contains.some((n) => n.phoneNumber === nums[2]))
      const tollFound = await acct.availablePhoneNumbers('US').tollFree.list({ areaCode: 866 })
      assert.deepEqual(
        tollFound.map((n) => n.phoneNumber),
        [toll],
      )
      const bought = await acct.incomingPhoneNumbers.create({ phoneNumber: found[0]!.phoneNumber })
      assert.equal(bought.phoneNumber, nums[0])
      const local = await acct.incomingPhoneNumbers.local.create({ phoneNumber: found[1]!.phoneNumber })
      assert.equal(local.accountSid, a.sid)
      const tf = await acct.incomingPhoneNumbers.tollFree.create({ phoneNumber: toll! })
      assert.equal(tf.phoneNumber, toll)
      await assert.rejects(
        acct.incomingPhoneNumbers.create({ phoneNumber: '+12024561111' }),
        (e: any) => e.status === 400 && e.code === 21422,
      )
      await assert.rejects(
        acct.incomingPhoneNumbers.create({ areaCode: '907' } as any),
        (e: any) => e.status === 400 && e.code === 21452,
      )
      const after = await acct.availablePhoneNumbers('US').local.list({ areaCode: 206 })
      assert.deepEqual(
        after.map((n) => n.phoneNumber),
        [nums[2]],
      )
      assert.equal(await acct.incomingPhoneNumbers(bought.sid).remove(), true)
      const back = await acct.availablePhoneNumbers('US').local.list({ areaCode: 206 })
      assert.deepEqual(back.map((n) => n.phoneNumber).sort(), [nums[0], nums[2]].sort())
    })

    it('the operator confirms a number stored before origins existed (audited); confirming again changes nothing', async () => {
      const a = await newAccount(s.url)
      const [n] = freshIn('512')
      const placed = await http(s.url, 'POST', `/admin/v1/Accounts/${a.sid}/IncomingPhoneNumbers`, {
        auth: operator,
        json: { PhoneNumbers: [n] },
      })
      assert.equal(placed.body.added, 1)
      const db = s.running.ctx.store.db
      // As the migration leaves rows stored before origins existed.
      await db.updateTable('phone_numbers').set({ origin: 'unverified' }).where('phone_number', '=', n!).execute()
      const first = await http(s.url, 'POST', `/admin/v1/PhoneNumbers/${encodeURIComponent(n!)}/Confirm`, {
        auth: operator,
      })
      assert.equal(first.status, 200, JSON.stringify(first.body))
      assert.deepEqual([first.body.right_to_use_origin, first.body.changed], ['operator', true])
      const again = await http(s.url, 'POST', `/admin/v1/PhoneNumbers/${n!.slice(1)}/Confirm`, { auth: operator })
      assert.deepEqual([again.body.right_to_use_origin, again.body.changed], ['operator', false])
      assert.deepEqual(await eventsOf(s.url, first.body.sid), ['number.confirmed', 'number.placed'])
      assert.equal((await http(s.url, 'POST', `/admin/v1/PhoneNumbers/${n}/Confirm`, { auth: a })).status, 401)
    })
  })
}
