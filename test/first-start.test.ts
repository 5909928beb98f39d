/** A new user's first run: `stirhub serve` on an empty data dir prints working credentials. */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { freePort } from './helpers/server.js'
import { BIN, spawnServe } from './helpers/cli.js'

function startCli(env: Record<string, string>): {
  child: ChildProcess
  output: () => string
  waitFor: (re: RegExp) => Promise<RegExpMatchArray>
} {
  const { child, output } = spawnServe(env)
  const waitFor = (re: RegExp) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const t = setInterval(() => {
        const m = output().match(re)
        if (m) {
          clearInterval(t)
          clearTimeout(to)
          resolve(m)
        }
      }, 50)
      const to = setTimeout(() => {
        clearInterval(t)
        reject(new Error(`timed out waiting for ${re}; output:\n${output()}`))
      }, 90_000)
      child.once('exit', (code) => {
        if (!output().match(re)) {
          clearInterval(t)
          clearTimeout(to)
          reject(new Error(`exited ${code}:\n${output()}`))
        }
      })
    })
  return { child, output, waitFor }
}

describe('first start', () => {
  let dir: string
  let port: number
  let env: Record<string, string>
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stirhub-first-'))
    port = await freePort()
    env = {
      STIRHUB_DATA_DIR: dir,
      PORT: String(port),
      HOST: '127.0.0.1',
      STIRHUB_ROLES: 'api',
      LOG_LEVEL: 'warn',
      STIRHUB_ADMIN_TOKEN: '',
      DATABASE_URL: '',
      PUBLIC_URL: '',
      STIRHUB_MASTER_KEY: '',
    }
  })
  after(() => fs.rmSync(dir, { recursive: true, force: true }))

  it('prints the operator token and a first account that can list Policies; a restart prints nothing secret', async () => {
    const first = startCli(env)
    try {
      const m = await first.waitFor(
        /Operator token\s+(\S+)[\s\S]*Account SID\s+(AC[0-9a-f]{32})[\s\S]*Auth token\s+([0-9a-f]{32})/,
      )
      const [, operator, sid, token] = m
      await first.waitFor(/stirhub listening/)
      const auth = 'Basic ' + Buffer.from(`${sid}:${token}`).toString('base64')
      const res = await fetch(`http://127.0.0.1:${port}/v1/Policies`, { headers: { authorization: auth } })
      assert.equal(res.status, 200)
      const body = (await res.json()) as any
      assert.ok(body.results.some((p: any) => p.sid === 'RN7a97559effdf62d00f4298208492a5ea'))
      const acct = await fetch(`http://127.0.0.1:${port}/admin/v1/Accounts`, {
        method: 'POST',
        headers: { authorization: `Bearer ${operator}`, 'content-type': 'application/json' },
        body: JSON.stringify({ FriendlyName: 'Second' }),
      })
      assert.equal(acct.status, 201)
    } finally {
      first.child.kill('SIGTERM')
      await new Promise((r) => first.child.once('exit', r))
    }
    const second = startCli(env)
    try {
      await second.waitFor(/stirhub listening/)
      assert.doesNotMatch(second.output(), /Auth token|Operator token/)
    } finally {
      second.child.kill('SIGTERM')
      await new Promise((r) => second.child.once('exit', r))
    }
  })

  it('a first start that fails to listen (port taken) still shows the credentials it stored, and they work next time', async () => {
    const fresh = fs.mkdtempSync(path.join(os.tmpdir(), 'stirhub-first-busy-'))
    const busy = net.createServer()
    await new Promise<void>((ok) => busy.listen(0, '127.0.0.1', ok))
    try {
      const taken = (busy.address() as net.AddressInfo).port
      const failed = startCli({ ...env, STIRHUB_DATA_DIR: fresh, PORT: String(taken) })
      const [, operator] = await failed.waitFor(/Operator token\s+(\S+)/)
      const code = await new Promise((r) => failed.child.once('exit', r))
      assert.notEqual(code, 0)
      assert.match(failed.output(), /EADDRINUSE/)
      const next = startCli({ ...env, STIRHUB_DATA_DIR: fresh })
      try {
        await next.waitFor(/stirhub listening/)
        const acct = await fetch(`http://127.0.0.1:${port}/admin/v1/Accounts`, {
          method: 'POST',
          headers: { authorization: `Bearer ${operator}`, 'content-type': 'application/json' },
          body: '{"FriendlyName":"After"}',
        })
        assert.equal(acct.status, 201)
      } finally {
        next.child.kill('SIGTERM')
        await new Promise((r) => next.child.once('exit', r))
      }
    } finally {
      busy.close()
      fs.rmSync(fresh, { recursive: true, force: true })
    }
  })

  it('a bad setting stops the process with a message naming the variable', () => {
    const r = spawnSync(process.execPath, [BIN, 'serve'], {
      env: { ...process.env, ...env, PORT: 'nope' },
      encoding: 'utf8',
      timeout: 90_000,
    })
    assert.equal(r.status, 2)
    assert.match(r.stderr, /PORT \(--port\): must be a port number/)
  })

  it('serve --help lists every setting', () => {
    const r = spawnSync(process.execPath, [BIN, 'serve', '--help'], { encoding: 'utf8', timeout: 90_000 })
    assert.equal(r.status, 0)
    for (const v of [
      'PORT',
      'DATABASE_URL',
      'STIRHUB_DATA_DIR',
      'PUBLIC_URL',
      'STIRHUB_ADMIN_TOKEN',
      'STIRHUB_SIP_TRUSTED',
      'STIRHUB_SIP_MULTI_TENANT',
    ])
      assert.match(r.stdout, new RegExp(v))
  })
})
