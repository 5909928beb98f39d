/** Rules for console users' emails and passwords (pure). */
import { AppError, errors } from './errors.js'

/** An email as stored and compared: trimmed and lowercased; throws 400 naming `param` when it is not one. */
export function normaliseEmail(raw: unknown, param = 'Email'): string {
  if (typeof raw !== 'string' || raw.trim() === '') throw errors.missing(param)
  const email = raw.trim().toLowerCase()
  if (email.length > 254 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
    throw errors.invalid(param, 'must be an email address (name@example.com)')
  return email
}

/** The commonest passwords of at least 12 characters (a floor, not a breach list). */
const COMMON = new Set([
  '123456789012',
  'password1234',
  'passwordpassword',
  'qwertyuiopas',
  '111111111111',
  'aaaaaaaaaaaa',
  'iloveyou1234',
  'administrator',
  'welcome12345',
  'changeme1234',
])

/** Throws 400 (WEAK_PASSWORD) unless `pw` is 12-256 characters and not among the commonest (NIST 800-63B §5.1.1). */
export function checkNewPassword(pw: unknown, param = 'Password'): string {
  if (typeof pw !== 'string' || pw === '') throw errors.missing(param)
  if (pw.length < 12 || pw.length > 256 || COMMON.has(pw.toLowerCase()))
    throw new AppError('WEAK_PASSWORD', `Invalid parameter ${param}: use 12 to 256 characters, not a common password`, {
      param,
    })
  return pw
}
