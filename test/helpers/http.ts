/** Plain HTTP calls for API tests: form bodies (Twilio style) or JSON, Basic or Bearer auth. */
import { ADMIN_TOKEN } from './server.js'

export interface Creds {
  readonly sid: string
  readonly token: string
}

export interface Res {
  readonly status: number
  readonly body: any
  readonly headers: Headers
}

export interface CallOptions {
  readonly auth?: Creds | { bearer: string } | null
  readonly form?: Record<string, string | number | boolean | undefined>
  readonly json?: unknown
  readonly headers?: Record<string, string>
  readonly raw?: string
}

export async function http(base: string, method: string, path: string, o: CallOptions = {}): Promise<Res> {
  const headers: Record<string, string> = { ...o.headers }
  if (o.auth && 'bearer' in o.auth) headers.authorization = `Bearer ${o.auth.bearer}`
  else if (o.auth) headers.authorization = 'Basic ' + Buffer.from(`${o.auth.sid}:${o.auth.token}`).toString('base64')
  let body: string | undefined = o.raw
  if (o.form) {
    headers['content-type'] ??= 'application/x-www-form-urlencoded'
    body = new URLSearchParams(
      Object.entries(o.form)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, String(v)]),
    ).toString()
  } else if (o.json !== undefined) {
    headers['content-type'] ??= 'application/json'
    body = JSON.stringify(o.json)
  }
  const res = await fetch(base + path, { method, headers, body })
  const text = await res.text()
  let parsed: unknown = text
  try {
    parsed = text ? JSON.parse(text) : null
  } catch {
    /* keep text */
  }
  return { status: res.status, body: parsed, headers: res.headers }
}

/** Creates a top-level account through the operator API. */
export async function newAccount(base: string, name = 'Test Co'): Promise<Creds> {
  const r = await http(base, 'POST', '/admin/v1/Accounts', {
    auth: { bearer: ADMIN_TOKEN },
    json: { FriendlyName: name },
  })
  if (r.status !== 201) throw new Error(`account create failed: ${r.status} ${JSON.stringify(r.body)}`)
  return { sid: r.body.sid, token: r.body.auth_token }
}

/** Creates a sub-account of `parent` through the 2010 API. */
export async function newSubAccount(base: string, parent: Creds, name = 'Sub Co'): Promise<Creds> {
  const r = await http(base, 'POST', '/2010-04-01/Accounts.json', { auth: parent, form: { FriendlyName: name } })
  if (r.status !== 201) throw new Error(`sub-account create failed: ${r.status} ${JSON.stringify(r.body)}`)
  return { sid: r.body.sid, token: r.body.auth_token }
}
