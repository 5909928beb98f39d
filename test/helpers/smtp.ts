/** A real SMTP server (smtp-server) on a loopback port for a test: every message it accepts, decoded enough to read. */
import { SMTPServer } from 'smtp-server'
import { freePort } from './server.js'

export interface Received {
  readonly from: string
  readonly to: readonly string[]
  readonly subject: string
  /** The text body, transfer encoding undone. */
  readonly text: string
}

export interface SmtpSink {
  readonly url: string
  readonly messages: Received[]
  /** Messages to `to`, in arrival order. */
  to(to: string): Received[]
  stop(): Promise<void>
}

function decode(raw: string): { subject: string; text: string } {
  const split = raw.indexOf('\r\n\r\n')
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ')
  let body = raw.slice(split + 4)
  const header = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(head)?.[1]?.trim() ?? ''
  const encoding = header('Content-Transfer-Encoding').toLowerCase()
  if (encoding === 'quoted-printable')
    body = Buffer.from(
      body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16))),
      'latin1',
    ).toString('utf8')
  else if (encoding === 'base64') body = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
  return { subject: header('Subject'), text: body.replace(/\r\n/g, '\n') }
}

/** Starts the server on `port` (a free one when not given). */
export async function startSmtp(port?: number): Promise<SmtpSink> {
  const messages: Received[] = []
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => {
        messages.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          ...decode(Buffer.concat(chunks).toString('utf8')),
        })
        callback()
      })
    },
  })
  const at = port ?? (await freePort())
  await new Promise<void>((resolve) => server.listen(at, '127.0.0.1', resolve))
  return {
    url: `smtp://127.0.0.1:${at}`,
    messages,
    to: (to) => messages.filter((m) => m.to.includes(to)),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

/** The token of the first console link (`…#token=…`) in a message. */
export function tokenIn(m: Received): string {
  const t = /#token=([A-Za-z0-9_-]+)/.exec(m.text)?.[1]
  if (!t) throw new Error(`no link in: ${m.text}`)
  return t
}
