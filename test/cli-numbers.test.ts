/**
 * The real `stirhub numbers` CLI (bin/stirhub.mjs, a child process) against a test server.
 * CLI start-up (tsx compiling the sources) dominates this file, so every run is launched at
 * once in `before` and each test awaits the one it checks.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import { DIALECTS } from './helpers/dialects.js'
import { ADMIN_TOKEN, startServer, type TestServer } from './helpers/server.js'
import { http, newAccount, type Creds } from './helpers/http.js'
import { buyNumber, stockInventory } from './helpers/onboarding.js'

const exec = promisify(execFile)
const BIN = path.resolve('bin/stirhub.mjs')

interface Run {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** Runs the real CLI; resolves with its output even when it exits non-zero. */
async function stirhub(args: string[], env: Record<string, string> = {}): Promise<Run> {
  try {
    const r = await exec(process.execPath, [BIN, ...args], {
      env: { ...process.env, STIRHUB_ADMIN_TOKEN: '', ...env },
      maxBuffer: 1 << 24,
    })
    return { code: 0, stdout: r.stdout, stderr: r.stderr }
  } catch (e: any) {
    return { code: e.code as number, stdout: e.stdout as string, stderr: e.stderr as string }
  }
}

const listOf = (s: TestServer, a: Creds) =>
  http(s.url, 'GET', `/2010-04-01/Accounts/${a.sid}/IncomingPhoneNumbers.json?PageSize=10`, { auth: a })

for (const dialect of DIALECTS) {
  describe(`stirhub numbers CLI [${dialect}]`, () => {
    let s: TestServer
    let importer: Creds
    let adder: Creds
    let runs: {
      imported: Promise<Run>
      added: Promise<Run>
      noToken: Promise<Run>
      wrongToken: Promise<Run>
      inventory: Promise<Run>
      confirmed: Promise<Run>
    }
    before(async () => {
      s = await startServer(dialect)
      importer = await newAccount(s.url)
      adder = await newAccount(s.url)
      const other = await newAccount(s.url)
      // One number already on another account, one already on the importing account (both bought).
      await stockInventory(s.url, ['+12122000007', '+12122000008'])
      await buyNumber(s.url, other, '+12122000007')
      await buyNumber(s.url, importer, '+12122000008')
      // Numbers stored before origins existed, for `numbers confirm`.
      await http(s.url, 'POST', `/admin/v1/Accounts/${other.sid}/IncomingPhoneNumbers`, {
        auth: { bearer: ADMIN_TOKEN },
        json: { PhoneNumbers: ['+13035550101', '+13035550102'] },
      })
      await s.running.ctx.store.db
        .updateTable('phone_numbers')
        .set({ origin: 'unverified' })
        .where('phone_number', 'in', ['+13035550101', '+13035550102'])
        .execute()
      const stock = ['phone_number,rate_center']
      for (let i = 0; i < 6_000; i++) stock.push(`+1415${2000000 + i},SF`)
      stock.push('+19005551212,premium', '+1415,short')
      const stockFile = path.join(s.dataDir, 'inventory.csv')
      fs.writeFileSync(stockFile, stock.join('\n') + '\n')
      const rows = ['"Name, with comma",phone_number']
      for (let i = 0; i < 12_000; i++) rows.push(`"line ${i}",+1212${2000000 + i}`)
      rows.push('"bad",+1212')
      const file = path.join(s.dataDir, 'numbers.csv')
      fs.writeFileSync(file, rows.join('\n') + '\n')
      const at = ['--url', s.url]
      runs = {
        imported: stirhub(['numbers', 'import', '--account', importer.sid, ...at, file], {
          STIRHUB_ADMIN_TOKEN: ADMIN_TOKEN,
        }),
        added: stirhub([
          'numbers',
          'add',
          '--account',
          adder.sid,
          ...at,
          '--token',
          ADMIN_TOKEN,
          '--json',
          '+13125550101',
          '+13125550102',
          'nope',
        ]),
        noToken: stirhub(['numbers', 'add', '--account', adder.sid, ...at, '+13125550103']),
        wrongToken: stirhub([
          'numbers',
          'add',
          '--account',
          adder.sid,
          ...at,
          '--token',
          'wrong-token-wrong-token',
          '+13125550104',
        ]),
        inventory: stirhub(['inventory', 'import', ...at, stockFile], { STIRHUB_ADMIN_TOKEN: ADMIN_TOKEN }),
        confirmed: stirhub([
          'numbers',
          'confirm',
          ...at,
          '--token',
          ADMIN_TOKEN,
          '+13035550101',
          '+1 303 555 0102',
          '+13035550199',
        ]),
      }
      await Promise.allSettled(Object.values(runs))
    })
    after(async () => {
      await s.stop()
    })

    it('imports a 12,001-row CSV in batches of 5,000 with progress on stderr and a summary', async () => {
      const r = await runs.imported
      assert.equal(r.code, 0, r.stderr)
      const progress = r.stderr.trim().split('\n')
      assert.equal(progress.length, 3, r.stderr)
      assert.match(progress[0]!, /^numbers: 5000\/12001 \(41%\)/)
      assert.match(progress[2]!, /^numbers: 12001\/12001 \(100%\)/)
      assert.match(r.stdout, /^added 11998, already held 1, refused 2$/m)
      assert.match(r.stdout, /refused \+12122000007: .*held by another account \(21422\)/)
      assert.match(r.stdout, /refused \+1212: .* \(21421\)/)
      const count = await s.running.ctx.store.db
        .selectFrom('phone_numbers')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('account_sid', '=', importer.sid)
        .executeTakeFirstOrThrow()
      assert.equal(Number(count.n), 11_999)
    })

    it('`numbers add` places the numbers given as arguments; --json prints every refusal', async () => {
      const r = await runs.added
      assert.equal(r.code, 0, r.stderr)
      const out = JSON.parse(r.stdout)
      assert.equal(out.added, 2)
      assert.deepEqual(
        out.refused.map((x: any) => x.phone_number),
        ['nope'],
      )
      const list = await listOf(s, adder)
      assert.deepEqual(list.body.incoming_phone_numbers.map((n: any) => n.phone_number).sort(), [
        '+13125550101',
        '+13125550102',
      ])
    })

    it('without an operator token, or with a wrong one, it exits non-zero and places nothing', async () => {
      const [none, wrong] = [await runs.noToken, await runs.wrongToken]
      assert.notEqual(none.code, 0)
      assert.match(none.stderr, /operator token/)
      assert.notEqual(wrong.code, 0)
      assert.match(wrong.stderr, /401/)
      const list = await listOf(s, adder)
      assert.ok(
        !list.body.incoming_phone_numbers.some((n: any) => ['+13125550103', '+13125550104'].includes(n.phone_number)),
      )
    })

    it('`inventory import` adds a CSV to the inventory in batches with progress; customers can then buy from it', async () => {
      const r = await runs.inventory
      assert.equal(r.code, 0, r.stderr)
      const progress = r.stderr.trim().split('\n')
      assert.equal(progress.length, 2, r.stderr)
      assert.match(progress[0]!, /^inventory: 5000\/6002 \(83%\)  added 5000  already present 0  refused 0$/)
      assert.match(progress[1]!, /^inventory: 6002\/6002 \(100%\)/)
      assert.match(r.stdout, /^added 6000, already present 0, refused 2$/m)
      assert.match(r.stdout, /refused \+19005551212: .*premium-rate.* \(21421\)/)
      const found = await http(
        s.url,
        'GET',
        `/2010-04-01/Accounts/${adder.sid}/AvailablePhoneNumbers/US/Local.json?AreaCode=415&PageSize=1`,
        { auth: adder },
      )
      assert.deepEqual(
        found.body.available_phone_numbers.map((n: any) => n.phone_number),
        ['+14152000000'],
      )
      assert.equal((await buyNumber(s.url, adder, '+14152000000')).status, 201)
    })

    it("`numbers confirm` makes unverified numbers the operator's, and names a number nobody holds", async () => {
      const r = await runs.confirmed
      assert.equal(r.code, 1, r.stderr)
      assert.match(r.stdout, /^confirmed \+13035550101 \(PN[0-9a-f]{32}, account AC[0-9a-f]{32}\): origin operator$/m)
      assert.match(r.stdout, /^confirmed \+13035550102 /m)
      assert.match(r.stderr, /\+13035550199: .*404/)
      const rows = await s.running.ctx.store.db
        .selectFrom('phone_numbers')
        .select('origin')
        .where('phone_number', 'in', ['+13035550101', '+13035550102'])
        .execute()
      assert.deepEqual(
        rows.map((x) => x.origin),
        ['operator', 'operator'],
      )
    })
  })
}
