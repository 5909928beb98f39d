/**
 * Holds a server to its own OpenAPI document: records every exchange a test makes with the
 * server through `fetch` (the `http` helper and everything built on it), then checks each
 * one against the served document — the status must be one the operation declares, and the
 * body must validate against that response's schema (JSON Schema 2020-12, with formats).
 * Also a cheap structural check of the document as OpenAPI 3.1.
 */
import { Ajv2020 } from 'ajv/dist/2020.js'
import * as ajvFormats from 'ajv-formats'

type Doc = {
  openapi: string
  info: any
  paths: Record<string, Record<string, any>>
  components: { schemas: Record<string, any>; securitySchemes?: Record<string, any> }
}

export interface Exchange {
  readonly method: string
  readonly path: string
  readonly status: number
  readonly contentType: string
  readonly body: string
}

// A CommonJS module: its ESM default is module.exports, which is the plugin (and carries it as .default too).
const addFormats = ajvFormats.default.default

/** Starts recording the exchanges with `base`; `stop()` puts the real fetch back. */
export function recordExchanges(base: string): { readonly seen: Exchange[]; stop(): void } {
  const real = globalThis.fetch
  const seen: Exchange[] = []
  globalThis.fetch = async (input: any, init?: any) => {
    const res = await real(input, init)
    const url = String(input instanceof Request ? input.url : input)
    if (url.startsWith(base)) {
      const method = String(init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase()
      seen.push({
        method,
        path: new URL(url).pathname,
        status: res.status,
        contentType: res.headers.get('content-type') ?? '',
        body: await res.clone().text(),
      })
    }
    return res
  }
  return {
    seen,
    stop: () => {
      globalThis.fetch = real
    },
  }
}

const escape = (s: string) => s.replace(/[.*+?^$()|[\]\\]/g, '\\$&')
const pointer = (...parts: string[]) => '#/' + parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')

/** A compiled view of one served document. */
export class OpenApiCheck {
  readonly #ajv = addFormats(new Ajv2020({ strict: false, allErrors: true }))
  readonly #templates: Array<{
    readonly method: string
    readonly path: string
    readonly re: RegExp
    readonly params: number
  }> = []

  constructor(readonly doc: Doc) {
    this.#ajv.addSchema(doc as object, 'openapi')
    for (const [path, item] of Object.entries(doc.paths)) {
      const re = new RegExp(
        '^' +
          path
            .split(/\{[^}]+\}/)
            .map(escape)
            .join('[^/]+') +
          '$',
      )
      for (const method of Object.keys(item))
        this.#templates.push({ method: method.toUpperCase(), path, re, params: (path.match(/\{/g) ?? []).length })
    }
  }

  /** Every operation as `METHOD /path`. */
  operations(): string[] {
    return this.#templates.map((t) => `${t.method} ${t.path}`)
  }

  /** The operation that serves `method path` (the most literal template wins: /certs/crl before /certs/{file}). */
  operationOf(method: string, path: string): string | undefined {
    const t = this.#templates
      .filter((x) => x.method === method && x.re.test(path))
      .sort((a, b) => a.params - b.params)[0]
    return t && `${t.method} ${t.path}`
  }

  /** What is wrong with one exchange ([] when nothing). */
  problems(x: Exchange): string[] {
    const key = this.operationOf(x.method, x.path)
    if (!key) return [`${x.method} ${x.path}: no operation in the document`]
    const [method, path] = key.split(' ') as [string, string]
    const responses = this.doc.paths[path]![method.toLowerCase()].responses as Record<string, any>
    const declared = responses[String(x.status)] ?? responses[`${String(x.status)[0]}XX`] ?? responses.default
    const what = `${x.method} ${x.path} → ${x.status}`
    if (!declared) return [`${what}: the document declares only ${Object.keys(responses).join(', ')} for ${key}`]
    if (!declared.content) return x.body === '' ? [] : [`${what}: a body, where the document declares none`]
    const media = x.contentType.split(';')[0]!.trim().toLowerCase()
    if (!declared.content[media])
      return [
        `${what}: ${media || 'no content type'}, where the document declares ${Object.keys(declared.content).join(', ')}`,
      ]
    if (media !== 'application/json') return []
    const status = Object.keys(responses).find((k) => responses[k] === declared)!
    const validate = this.#ajv.getSchema(
      `openapi${pointer('paths', path, method.toLowerCase(), 'responses', status, 'content', media, 'schema')}`,
    )!
    let body: unknown
    try {
      body = JSON.parse(x.body)
    } catch {
      return [`${what}: the body is not JSON`]
    }
    if (validate(body)) return []
    return [`${what}: ${this.#ajv.errorsText(validate.errors, { dataVar: 'body' })}\n    body: ${x.body.slice(0, 600)}`]
  }
}

const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'])
const MEDIA = /^[a-z]+\/[a-z0-9.+-]+$/

/** Structural faults of the document as OpenAPI 3.1, as far as a short walk can tell. */
export function openApi31Problems(doc: Doc): string[] {
  const out: string[] = []
  const meta = new Ajv2020({ strict: false })
  const schema = (where: string, s: unknown) => {
    if (typeof s !== 'object' || s === null) out.push(`${where}: a schema must be an object`)
    else if (!meta.validateSchema(s as object))
      out.push(`${where}: not a JSON Schema 2020-12: ${meta.errorsText(meta.errors)}`)
  }
  if (!/^3\.1\.\d+$/.test(doc.openapi)) out.push(`openapi is ${doc.openapi}, not 3.1.x`)
  if (typeof doc.info?.title !== 'string' || typeof doc.info?.version !== 'string')
    out.push('info needs a title and a version')
  for (const [name, s] of Object.entries(doc.components?.schemas ?? {})) schema(`components.schemas.${name}`, s)
  const ids = new Set<string>()
  for (const [path, item] of Object.entries(doc.paths)) {
    if (!path.startsWith('/')) out.push(`${path}: a path must start with /`)
    const inPath = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!)
    for (const [method, op] of Object.entries(item)) {
      const at = `${method.toUpperCase()} ${path}`
      if (!METHODS.has(method)) {
        out.push(`${at}: not an HTTP method`)
        continue
      }
      if (op.operationId) {
        if (ids.has(op.operationId)) out.push(`${at}: operationId ${op.operationId} repeats`)
        ids.add(op.operationId)
      }
      const params: any[] = op.parameters ?? []
      for (const p of params) {
        if (typeof p.name !== 'string' || !['query', 'header', 'path', 'cookie'].includes(p.in))
          out.push(`${at}: parameter ${JSON.stringify(p)} needs a name and an in`)
        if (p.in === 'path' && (p.required !== true || !inPath.includes(p.name)))
          out.push(`${at}: path parameter ${p.name} must be required and in the path`)
        schema(`${at} parameter ${p.name}`, p.schema)
      }
      for (const name of inPath)
        if (!params.some((p) => p.in === 'path' && p.name === name)) out.push(`${at}: {${name}} is not declared`)
      for (const [media, m] of Object.entries<any>(op.requestBody?.content ?? {})) {
        if (!MEDIA.test(media)) out.push(`${at}: request media type ${media}`)
        schema(`${at} request ${media}`, m.schema)
      }
      const responses = Object.entries<any>(op.responses ?? {})
      if (responses.length === 0) out.push(`${at}: no responses`)
      for (const [code, r] of responses) {
        if (!/^([1-5]\d\d|[1-5]XX|default)$/.test(code)) out.push(`${at}: response key ${code}`)
        if (typeof r.description !== 'string' || !r.description)
          out.push(`${at} ${code}: a response needs a description`)
        for (const [media, m] of Object.entries<any>(r.content ?? {})) {
          if (!MEDIA.test(media)) out.push(`${at} ${code}: media type ${media}`)
          schema(`${at} ${code} ${media}`, m.schema)
        }
      }
      for (const req of op.security ?? [])
        for (const name of Object.keys(req))
          if (!doc.components.securitySchemes?.[name]) out.push(`${at}: security scheme ${name} is not defined`)
    }
  }
  // Every $ref points at something in the document.
  const resolve = (ref: string) =>
    ref
      .slice(2)
      .split('/')
      .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce<any>((o, k) => o?.[k], doc)
  const walk = (v: unknown, at: string): void => {
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${at}/${i}`))
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === '$ref' && (typeof x !== 'string' || !x.startsWith('#/') || resolve(x) === undefined))
          out.push(`${at}: $ref ${String(x)} does not resolve`)
        else walk(x, `${at}/${k}`)
      }
    }
  }
  walk(doc, '#')
  return out
}
