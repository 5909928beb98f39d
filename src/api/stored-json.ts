/**
 * Limits on every JSON value the API stores as sent (an end user's or supporting document's
 * `Attributes`): at most {@link MAX_JSON_DEPTH} levels of nesting and
 * {@link MAX_STORED_JSON_BYTES} as JSON text, and nothing the edge refuses in a field
 * (input-guards.ts). A form field carries the value as JSON text the edge saw only as a
 * string, so it is checked here once parsed.
 */
import { errors } from '../domain/errors.js'
import { inputProblem, MAX_JSON_DEPTH } from './input-guards.js'

{
  MAX_JSON_DEPTH
}

/** The largest stored JSON value, as UTF-8 JSON text. */
export const MAX_STORED_JSON_BYTES = 64 * 1024

/** The JSON text to store for `value`, received as `field`; a 400 naming the field past a limit. */
export function storableJson(field: string, value: unknown): string {
  const problem = inputProblem(value, field)
  if (problem !== undefined) throw problem
  const text = JSON.stringify(value)
  const bytes = Buffer.byteLength(text)
  if (bytes > MAX_STORED_JSON_BYTES)
    throw errors.invalid(field, `is ${bytes} bytes as JSON, over the limit of ${MAX_STORED_JSON_BYTES}`)
  return text
}
