/**
 * `stirhub cnam export [--out file]` (operator): the CNAM feed of a running server
 * (`GET /admin/v1/cnam.csv`), streamed to a file or to standard output, for the operator's
 * CNAM database provider.
 */
import { Command } from 'commander'
import { serverOptions } from './client.js'

type Opts = { url: string; token?: string; out?: string }

/** Streams the feed to `o.out` (written whole or not at all) or stdout; returns the rows written. */
async function exportFeed(o: Opts): Promise<number> {
  if (!o.token) throw new Error('an operator token is needed: --token or STIRHUB_ADMIN_TOKEN')
  const [{ createWriteStream, renameSync, rmSync }, { Readable, Transform }, { pipeline }] = await Promise.all([
    import('node:fs'),
    import('node:stream'),
    import('node:stream/promises'),
  ])
  const res = await fetch(`${o.url.replace(/\/+$/, '')}/admin/v1/cnam.csv`, {
    headers: { authorization: `Bearer ${o.token}`, accept: 'text/csv' },
  })
  if (!res.ok || !res.body) throw new Error(`GET /admin/v1/cnam.csv → ${res.status}: ${await res.text()}`)
  let lines = 0
  const count = new Transform({
    transform(chunk: Buffer, _enc, done) {
      for (const b of chunk) if (b === 0x0a) lines++
      done(null, chunk)
    },
  })
  const body = Readable.fromWeb(res.body as import('node:stream/web').ReadableStream)
  if (!o.out) {
    await pipeline(body, count, process.stdout, { end: false })
    return Math.max(0, lines - 1)
  }
  // Into a temporary file renamed at the end: a broken transfer never leaves half a feed behind.
  const tmp = `${o.out}.part`
  try {
    await pipeline(body, count, createWriteStream(tmp))
    renameSync(tmp, o.out)
  } catch (e) {
    rmSync(tmp, { force: true })
    throw e
  }
  return Math.max(0, lines - 1)
}

export function cnamCommand(): Command {
  const d = serverOptions()
  const cmd = new Command('cnam').description('CNAM: the approved caller names of numbers (operator)')
  cmd
    .command('export')
    .description('write the CNAM feed as CSV (number, caller name, account, trust product, approved at)')
    .option('--out <file>', 'write to this file instead of standard output')
    .option('--url <url>', 'server URL [STIRHUB_URL]', d.url)
    .option('--token <token>', 'operator token [STIRHUB_ADMIN_TOKEN]', d.token)
    .action(async (o: Opts) => {
      const rows = await exportFeed(o)
      if (o.out) console.error(`${rows} CNAM entries written to ${o.out}`)
    })
  return cmd
}
