/**
 * Deterministic JSON for PASSporT (RFC 8225 §9): object members sorted lexicographically by
 * name, no insignificant whitespace or line breaks, UTF-8. The compact form of a PASSporT
 * depends on it (a verifier rebuilds header and payload), so the signer always emits it.
 */

/** A JSON value as it may appear in a PASSporT header or claims. */
export type JsonValue =
  | string
  | number
  | boolean
  | null
  | readonly JsonValue[]
  | { readonly [k: string]: JsonValue | undefined }

/**
 * Serializes `value` canonically. Members whose value is `undefined` are left out (as
 * JSON.stringify does); non-finite numbers are refused because JSON cannot carry them.
 */
export function canonicalJson(value: JsonValue): string {
  if (value === null) return 'null'
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value)
    case 'boolean':
      return value ? 'true' : 'false'
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('canonical JSON cannot encode a non-finite number')
      return JSON.stringify(value)
    case 'object':
      break
    default:
      throw new TypeError(`canonical JSON cannot encode a ${typeof value}`)
  }
  if (Array.isArray(value)) return '[' + value.map((v) => canonicalJson(v as JsonValue)).join(',') + ']'
  const obj = value as { readonly [k: string]: JsonValue | undefined }
  // Default sort compares UTF-16 code units; PASSporT member names are ASCII, where that
  // equals the byte order RFC 8225 §9 asks for.
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort()
  return '{' + keys.map((k) => JSON.stringify(k) + ':' + canonicalJson(obj[k] as JsonValue)).join(',') + '}'
}
