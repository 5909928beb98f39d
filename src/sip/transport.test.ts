import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import net from 'node:net'
import { startSipFront } from './transport.js'

const connect = (port: number) => new Promise<net.Socket>((resolve, reject) => {
  const c = net.connect(port, '127.0.0.1', () => resolve(c))
  c.once('error', reject)
})
/** True when the server closed the socket within `ms`. */
const closedWithin = (c: net.Socket, ms: number) => new Promise<boolean>((resolve) => {
  const t = setTimeout(() => resolve(false), ms)
  c.once('close', () => { clearTimeout(t); resolve(true) })
  c.resume()
})

describe('SIP transport', () => {
  it('closes TCP connections beyond its limit at once, and takes new ones when there is room', async () => {
    const front = await startSipFront({ port: 0, host: '127.0.0.1', handler: async () => undefined, maxTcpConnections: 2 })
    try {
      const a = await connect(front.port)
      const b = await connect(front.port)
      const c = await connect(front.port)
      assert.equal(await closedWithin(c, 2000), true, 'the third connection is closed')
      assert.equal(await closedWithin(a, 200), false, 'the first two stay open')
      a.destroy()
      await new Promise((r) => setTimeout(r, 100))
      const d = await connect(front.port)
      assert.equal(await closedWithin(d, 300), false, 'room again after one closed')
      for (const s of [b, d]) s.destroy()
    } finally {
      await front.close()
    }
  })
})
