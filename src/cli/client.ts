/** A tiny HTTP client for CLI commands that talk to a running server. */
export interface ClientOptions {
  readonly url: string
  /** `Bearer` token (operator/reviewer) or Basic `user:pass`. */
  readonly bearer?: string
  readonly basic?: string
}

/** Sends of one request at most, when the server answers 429. */
const MAX_ATTEMPTS = 5

export async function call(
  o: ClientOptions,
  method: string,
  path: string,
  body?: Record<string, unknown>,
  form = false,
): Promise<any> {
  const headers: Record<string, string> = { accept: 'application/json' }
  if (o.bearer) headers.authorization = `Bearer ${o.bearer}`
  if (o.basic) headers.authorization = `Basic ${Buffer.from(o.basic).toString('base64')}`
  let payload: string | undefined
  if (body) {
    if (form) {
      headers['content-type'] = 'application/x-www-form-urlencoded'
      payload = new URLSearchParams(
        Object.entries(body)
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => [k, String(v)]),
      ).toString()
    } else {
      headers['content-type'] = 'application/json'
      payload = JSON.stringify(body)
    }
  }
  const url = o.url.replace(/\/+$/, '') + path
  let res = await fetch(url, { method, headers, body: payload })
  // Over a rate limit nothing was done (the limit is checked before any handler runs), so
  // waiting as Retry-After says and sending again is safe for every method.
  for (let attempt = 1; res.status === 429 && attempt < MAX_ATTEMPTS; attempt++) {
    const wait = Math.min(30, Number(res.headers.get('retry-after')) || 1)
    await res.arrayBuffer()
    await new Promise((r) => setTimeout(r, wait * 1000))
    res = await fetch(url, { method, headers, body: payload })
  }
  const text = await res.text()
  const json = text ? JSON.parse(text) : null
  if (!res.ok) {
    const msg = json?.message ?? text
    throw new Error(`${method} ${path} → ${res.status}${json?.code ? ` (${json.code})` : ''}: ${msg}`)
  }
  return json
}

/** Common options of commands that reach a server. */
export function serverOptions(env = process.env) {
  return {
    url: env.STIRHUB_URL ?? `http://localhost:${env.PORT ?? 3000}`,
    token: env.STIRHUB_ADMIN_TOKEN,
    /** A reviewer's own token (reviews commands); falls back to the operator token. */
    reviewerToken: env.STIRHUB_REVIEWER_TOKEN ?? env.STIRHUB_ADMIN_TOKEN,
  }
}
