/** Reading `GET /metrics` in tests. */
import assert from 'node:assert/strict'
import { ADMIN_TOKEN } from './server.js'

/** `name{labels} value` lines of a scrape, keyed by everything before the value. */
export function samples(text: string): Map<string, number> {
  const out = new Map<string, number>()
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue
    const i = line.lastIndexOf(' ')
    out.set(line.slice(0, i), Number(line.slice(i + 1)))
  }
  return out
}

/** One scrape with the operator token. */
export async function scrape(url: string): Promise<Map<string, number>> {
  const r = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })
  assert.equal(r.status, 200)
  assert.match(r.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/)
  return samples(await r.text())
}

/** Signings of every level in a scrape. */
export const signingsTotal = (m: Map<string, number>) =>
  ['A', 'B', 'C', 'none'].reduce((n, l) => n + (m.get(`stirhub_signings_total{attest="${l}"}`) ?? 0), 0)
