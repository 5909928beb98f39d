import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import dgram from 'node:dgram'
import net from 'node:net'
import { startSipFront, type SipMessage } from './transport.js'

const connect = (port: number) =>
  new Promise<net.Socket>((resolve, reject) => {
    const c = net.connect(port, '127.0.0.1', () => resolve(c))
    c.once('error', reject)
  })
/** True when the server closed the socket within `ms`. */
const closedWithin = (c: net.Socket, ms: number) =>
  new Promise<boolean>((resolve) => {
    const t = setTimeout(() => resolve(false), ms)
    c.once('close', () => {
      clearTimeout(t)
      resolve(true)
    })
    c.resume()
  })

describe('SIP transport', () => {
  it('closes TCP connections beyond its limit at once, and takes new ones when there is room', async () => {
    const front = await startSipFront({
      port: 0,
      host: '127.0.0.1',
      handler: async () => undefined,
      maxTcpConnections: 2,
    })
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

  it('TCP: a message that never completes (Content-Length not a number) cannot grow past the limits; the connection is closed', async () => {
    const front = await startSipFront({
      port: 0,
      host: '127.0.0.1',
      handler: async () => undefined,
      maxMessageBytes: 1024,
    })
    try {
      const c = await connect(front.port)
      const closed = closedWithin(c, 3000)
      c.write(
        'INVITE sip:a@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:5999;branch=z9hG4bK-1\r\nCall-ID: cl\r\nCSeq: 1 INVITE\r\nContent-Length: abc\r\n\r\n',
      )
      for (let i = 0; i < 4; i++) {
        await new Promise((r) => setTimeout(r, 30))
        if (!c.destroyed) c.write('x'.repeat(1000))
      }
      assert.equal(await closed, true, "closed once more than a message's worth is waiting")
      c.destroy()
    } finally {
      await front.close()
    }
  })

  it('drops requests whose head holds control characters or a bare CR or LF (a response would echo them as new lines)', async () => {
    const seen: string[] = []
    const front = await startSipFront({
      port: 0,
      host: '127.0.0.1',
      handler: (m: SipMessage) => {
        seen.push(m.headers['call-id'])
        return undefined
      },
    })
    const client = dgram.createSocket('udp4')
    try {
      const options = (callId: string) =>
        [
          'OPTIONS sip:127.0.0.1 SIP/2.0',
          'Via: SIP/2.0/UDP 127.0.0.1:5999;branch=z9hG4bK-1',
          'From: <sip:a@127.0.0.1>;tag=1',
          'To: <sip:b@127.0.0.1>',
          `Call-ID: ${callId}`,
          'CSeq: 1 OPTIONS',
          'Content-Length: 0',
          '',
          '',
        ].join('\r\n')
      for (const id of [
        'bad-lf\nX-Injected: 1',
        'bad-cr\rX-Injected: 1',
        'bad-nul\0',
        'bad-esc\x1b[0m',
        'folded\r\n continued',
        'plain',
      ])
        client.send(options(id), front.port, '127.0.0.1')
      for (let i = 0; i < 100 && seen.length < 2; i++) await new Promise((r) => setTimeout(r, 20))
      await new Promise((r) => setTimeout(r, 100))
      assert.deepEqual(seen.sort(), ['folded\r\n continued', 'plain'])
    } finally {
      client.close()
      await front.close()
    }
  })

  it('UDP: ACKs never reach the handler (absorbed unparsed); other requests do', async () => {
    const seen: string[] = []
    const front = await startSipFront({
      port: 0,
      host: '127.0.0.1',
      handler: (m: SipMessage) => {
        seen.push(m.method!)
        return undefined
      },
    })
    const client = dgram.createSocket('udp4')
    try {
      const message = (method: string) =>
        [
          `${method} sip:12125551212@127.0.0.1 SIP/2.0`,
          'Via: SIP/2.0/UDP 127.0.0.1:5999;branch=z9hG4bK-1',
          'From: <sip:12125550100@127.0.0.1>;tag=1',
          'To: <sip:12125551212@127.0.0.1>',
          'Call-ID: ack-test',
          `CSeq: 1 ${method}`,
          'Max-Forwards: 70',
          'Content-Length: 0',
          '',
          '',
        ].join('\r\n')
      for (const m of ['ACK', 'OPTIONS', 'ACK', 'INVITE']) client.send(message(m), front.port, '127.0.0.1')
      for (let i = 0; i < 100 && seen.length < 2; i++) await new Promise((r) => setTimeout(r, 20))
      await new Promise((r) => setTimeout(r, 100))
      assert.deepEqual(seen, ['OPTIONS', 'INVITE'])
    } finally {
      client.close()
      await front.close()
    }
  })
})
