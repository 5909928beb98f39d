/** A tiny HTTP client for CLI commands that talk to a running server. */
export interface ClientOptions {
  readonly url: string
  /** `Bearer` token (operator/reviewer) or Basic `user:pass`. */
  readonly bearer?: string
  readonly basic?: string
}

export async function call(o: ClientOptions, method: string, path: string, body?: Record<string, unknown>, form = false): Promise<any> {
  const headers: Record<string, string> = { accept: 'application/json' }
  if (o.bearer) headers.authorization = `Bearer ${o.bearer}`
  if (o.basic) headers.authorization = `Basic ${Buffer.from(o.basic).toString('base64')}`
  let payload: string | undefined
  if (body) {
    if (form) {
      headers['content-type'] = 'application/x-www-form-urlencoded'
      payload = new URLSearchParams(Object.entries(body).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)])).toString()
    } else {
      headers['content-type'] = 'application/json'
      payload = JSON.stringify(body)
    }
  }
  const res = await fetch(o.url.replace(/\/+$/, '') + path, { method, headers, body: payload })
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
