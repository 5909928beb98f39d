/** Schemas and helpers shared by the Twilio-shaped routes. */
import { Type, type TSchema } from 'typebox'
import { errors } from '../domain/errors.js'
import type { SidPrefix } from '../domain/ids.js'
import { storableJson } from './stored-json.js'

/** A path parameter that must be a SID of one prefix; anything else is a 404 (not 400: SIDs are not probed). */
export const sidParam = (prefix: SidPrefix) => Type.String({ pattern: `^${prefix}[0-9a-fA-F]{32}$` })

/** Object with the given path parameters. */
export const params = <T extends Record<string, TSchema>>(p: T) => Type.Object(p)

/** Form bodies carry everything as strings; optional non-empty string. */
export const str = (description: string, maxLength = 255) => Type.Optional(Type.String({ maxLength, description }))
export const reqStr = (description: string, maxLength = 255) => Type.String({ minLength: 1, maxLength, description })

/**
 * `Attributes` arrives as a JSON string in a form field (the SDK stringifies it); JSON bodies
 * may send an object. Answers the JSON text to store, within the limits of stored-json.ts.
 */
export function attributesJson(raw: unknown): string {
  if (raw === undefined || raw === null || raw === '') return '{}'
  let v: unknown = raw
  if (typeof raw === 'string') {
    try {
      v = JSON.parse(raw)
    } catch {
      throw errors.invalid('Attributes', 'must be a JSON object (the value is not valid JSON)')
    }
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw errors.invalid('Attributes', 'must be a JSON object')
  return storableJson('Attributes', v)
}
