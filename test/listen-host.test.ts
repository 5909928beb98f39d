/**
 * Where the server listens: in development HTTP and both SIP fronts are on loopback only
 * unless `HOST` says otherwise. Checked by connecting through this machine's own non-loopback
 * address (delivered locally, never on the wire); skipped where the machine has none.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { loadConfig } from '../src/config/config.js'
import { serve } from '../src/runtime/serve.js'
import { freePort } from './helpers/server.js'

/** An IPv4 address of this machine that is not loopback, if it has one. */
const external = Object.values(os.networkInterfaces())
  .flat()
  .find((i) => i && i.family === 'IPv4' && !i.internal)?.address

/** True when a TCP connection to address:port is accepted. */
const accepts = (address: string, port: number) =>
  new Promise<boolean>((resolve) => {
    const s = net.connect({ host: address, port, timeout: 2000 })
    s.once('connect', () => {
      s.destroy()
      resolve(true)
    })
    s.once('error', () => resolve(false))
    s.once('timeout', () => {
      s.destroy()
      resolve(false)
    })
  })

/** Starts `stirhub serve` (api and sip) in development with `env` added; returns its three TCP ports. */
async function withServer(env: Record<string, string>, f: (ports: number[]) => Promise<void>): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stirhub-host-'))
  const ports = [await freePort(), await freePort(), await freePort()]
  const running = await serve(
    loadConfig({
      PORT: String(ports[0]),
      SIP_SIGN_PORT: String(ports[1]),
      SIP_VERIFY_PORT: String(ports[2]),
      STIRHUB_DATA_DIR: dir,
      STIRHUB_ROLES: 'api,sip',
      LOG_LEVEL: 'silent',
      STIRHUB_ADMIN_TOKEN: 'test-operator-token-0123456789abcdef',
      ...env,
    }),
    { quiet: true, noFirstAccount: true },
  )
  try {
    await f(ports)
  } finally {
    await running.stop()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

describe('listen address', { skip: external ? false : 'no non-loopback IPv4 address on this machine' }, () => {
  it('development listens on loopback only: HTTP and both SIP fronts', async () => {
    await withServer({}, async (ports) => {
      for (const p of ports) {
        assert.equal(await accepts('127.0.0.1', p), true, `loopback port ${p}`)
        assert.equal(await accepts(external!, p), false, `${external}:${p} must not be reachable`)
      }
    })
  })

  it('HOST=0.0.0.0 listens on every interface', async () => {
    await withServer({ HOST: '0.0.0.0' }, async (ports) => {
      for (const p of ports) assert.equal(await accepts(external!, p), true, `${external}:${p}`)
    })
  })
})
