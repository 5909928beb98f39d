/**
 * Input no store can keep, refused at the HTTP edge once for every route (root hooks wired in
 * app.ts) with a 400 that names the field:
 * - text (values and member names, in the body, the query string and the path) holding U+0000,
 *   which PostgreSQL's text refuses (SQLite would keep it: both refuse it here, alike), or a
 *   lone UTF-16 surrogate, which is not Unicode (a store would keep U+FFFD instead) → Twilio
 *   21250. Other control characters are valid text on both stores and pass;
 * - JSON nested deeper than {@link MAX_JSON_DEPTH} below a field: JSON.stringify recurses, and
 *   100,000 levels overflow the stack → 20001;
 * - numbers that are not finite or beyond ±(2^53 − 1): JSON's `1e400` parses as Infinity, and
 *   the schema validator coerces the query's "1e400" to Infinity and then skips its
 *   minimum/maximum checks, which only compare finite numbers → 20001.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import { type AppError, errors } from '../domain/errors.js'

/** How deep containers may nest in a field's value (and in a stored JSON value). */
export const MAX_JSON_DEPTH = 32

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:^|[^\uD800-\uDBFF])[\uDC00-\uDFFF]/

/** Why `s` cannot be stored as text, or undefined. Both checks are fast scans (no surrogate can be in a one-byte string). */
export function textProblem(s: string): string | undefined {
  if (s.includes('\0')) return 'holds U+0000 (NUL), which text may not contain'
  if (LONE_SURROGATE.test(s)) return 'holds a lone UTF-16 surrogate, which is not Unicode text'
  return undefined
}

/** Why `n` is refused as a number, or undefined. */
export function numberProblem(n: number): string | undefined {
  return Number.isFinite(n) && Math.abs(n) <= Number.MAX_SAFE_INTEGER
    ? undefined
    : `is out of range (numbers must be finite and at most ${Number.MAX_SAFE_INTEGER} in magnitude)`
}

/** What was found, and where: `at` lists the steps from the value down to it, innermost first. */
interface Found {
  readonly kind: 'text' | 'number' | 'depth'
  readonly why: string
  readonly at: string[]
}

/**
 * Recursion is safe here: it stops {@link MAX_JSON_DEPTH} levels down, before anything that
 * recurses without a limit (JSON.stringify) would see the value. Nothing is allocated unless
 * something is found (this runs on every signing call of the fast lane too).
 */
function find(v: unknown, depth: number, maxDepth: number): Found | undefined {
  if (typeof v === 'string') {
    const why = textProblem(v)
    return why === undefined ? undefined : { kind: 'text', why, at: [] }
  }
  if (typeof v === 'number') {
    const why = numberProblem(v)
    return why === undefined ? undefined : { kind: 'number', why, at: [] }
  }
  if (typeof v !== 'object' || v === null) return undefined
  if (depth >= maxDepth) return { kind: 'depth', why: `nests deeper than ${maxDepth} levels`, at: [] }
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const f = find(v[i], depth + 1, maxDepth)
      if (f !== undefined) {
        f.at.push(`[${i}]`)
        return f
      }
    }
    return undefined
  }
  for (const k in v) {
    const why = textProblem(k)
    if (why !== undefined) return { kind: 'text', why: `a member name ${why}`, at: [] }
    const f = find((v as Record<string, unknown>)[k], depth + 1, maxDepth)
    if (f !== undefined) {
      f.at.push(`.${k}`)
      return f
    }
  }
  return undefined
}

/**
 * The first thing in `value` (received as `field`) that no store keeps, as the error to answer
 * with (naming the field, and the member inside it), else undefined. Too deep a value is named
 * by its field alone.
 */
export function inputProblem(value: unknown, field: string, maxDepth = MAX_JSON_DEPTH): AppError | undefined {
  const f = find(value, 0, maxDepth)
  if (f === undefined) return undefined
  if (f.kind === 'depth') return errors.invalid(field, f.why)
  const path = field + f.at.reverse().join('')
  return f.kind === 'text' ? errors.text(path, f.why) : errors.invalid(path, f.why)
}

/** Path parameters are named by the route; the wildcard's `*` is the rest of the path. */
const fieldName = (k: string) => (k === '*' ? 'path' : k)

/**
 * {@link inputProblem} for a set of fields (a body, query string or path parameters): each
 * field is named by its own name, and measured for depth on its own. `whole` names anything
 * that is not an object of fields (a JSON array or string body).
 */
export function fieldsProblem(fields: unknown, whole: string): AppError | undefined {
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) return inputProblem(fields, whole)
  for (const k in fields) {
    const why = textProblem(k)
    if (why !== undefined) return errors.text(whole, `a field name ${why}`)
    const e = inputProblem((fields as Record<string, unknown>)[k], fieldName(k))
    if (e !== undefined) return e
  }
  return undefined
}

type Done = (err?: Error) => void

/** Root `preValidation` hook: the body, query string and path as received, before the schema coerces them. */
export function refuseUnstorableInput(req: FastifyRequest, _reply: FastifyReply, done: Done): void {
  done(
    fieldsProblem(req.params, 'path') ??
      fieldsProblem(req.query, 'query') ??
      (req.body === undefined ? undefined : fieldsProblem(req.body, 'body')),
  )
}

/** The first coerced number out of range among `fields`' values (and their arrays' items). */
function coercedProblem(fields: unknown): AppError | undefined {
  if (typeof fields !== 'object' || fields === null) return undefined
  for (const k in fields) {
    const v = (fields as Record<string, unknown>)[k]
    for (const n of Array.isArray(v) ? v : [v]) {
      const why = typeof n === 'number' ? numberProblem(n) : undefined
      if (why !== undefined) return errors.invalid(k, why)
    }
  }
  return undefined
}

/**
 * Root `preHandler` hook: numbers the schema coerced from text (query strings and form bodies
 * carry "1e400", which becomes Infinity only in validation). Callback style: no promise.
 */
export function refuseUnsafeNumbers(req: FastifyRequest, _reply: FastifyReply, done: Done): void {
  done(coercedProblem(req.query) ?? coercedProblem(req.body))
}
