/**
 * Two-factor for console users: the second step of sign-in (a TOTP code, or a recovery code
 * spent once), enrolment (a secret sealed at rest under the master key, `totp` purpose,
 * pending until the user proves it with a code), and the account-level switch that makes
 * every user of an account enrol before anything else.
 */
import QRCode from 'qrcode'
import type { AppContext } from '../../runtime/context.js'
import { AppError } from '../../domain/errors.js'
import { hashSecret } from '../../security/secrets.js'
import {
  matchTotp,
  newRecoveryCodes,
  newTotpSecret,
  normaliseRecoveryCode,
  otpauthUri,
  base32,
} from '../../security/totp.js'
import {
  replaceRecoveryCodes,
  requiresTwoFactor,
  spendRecoveryCode,
  updateUser,
  useTotpStep,
  type UserRow,
} from '../../store/users.repo.js'
import { isoNow } from '../../domain/time.js'

const PURPOSE = 'totp'

export const twoFactorRequired = (why: string) =>
  new AppError('TWO_FACTOR_REQUIRED', `Two-factor code required: ${why}`, { two_factor: true })

/** True when `code` is the user's current TOTP code (used now, once) or one of their unused recovery codes (spent now). */
export async function secondFactorMatches(ctx: AppContext, user: UserRow, code: string): Promise<boolean> {
  if (!user.totp_sealed) return false
  if (/^\s*\d{6}\s*$/.test(code)) {
    const secret = ctx.sealer.open(user.totp_sealed, PURPOSE)
    const step = matchTotp(secret, code, ctx.clock().getTime(), Number(user.totp_last_step))
    return step !== undefined && (await useTotpStep(ctx.store.db, user.sid, step))
  }
  return spendRecoveryCode(ctx.store.db, user.sid, hashSecret(normaliseRecoveryCode(code)), isoNow(ctx.clock))
}

/** Starts enrolment: a new secret, pending until confirmed; what the authenticator app needs. */
export async function startEnrolment(ctx: AppContext, user: UserRow) {
  const secret = newTotpSecret()
  await updateUser(ctx.store.db, user.sid, { totp_pending_sealed: ctx.sealer.seal(secret, PURPOSE) }, isoNow(ctx.clock))
  const uri = otpauthUri(secret, user.email)
  return { secret: base32(secret), otpauth_uri: uri, qr_svg: await QRCode.toString(uri, { type: 'svg', margin: 2 }) }
}

/**
 * Confirms enrolment with a code from the app: the pending secret becomes the user's, and ten
 * recovery codes are made (returned once, kept hashed). Undefined when the code is wrong.
 */
export async function confirmEnrolment(ctx: AppContext, user: UserRow, code: string): Promise<string[] | undefined> {
  if (!user.totp_pending_sealed) return undefined
  const secret = ctx.sealer.open(user.totp_pending_sealed, PURPOSE)
  const step = matchTotp(secret, code, ctx.clock().getTime())
  if (step === undefined) return undefined
  const codes = newRecoveryCodes()
  await updateUser(
    ctx.store.db,
    user.sid,
    { totp_sealed: user.totp_pending_sealed, totp_pending_sealed: null, totp_last_step: step },
    isoNow(ctx.clock),
  )
  await replaceRecoveryCodes(
    ctx.store.db,
    user.sid,
    codes.map((c) => hashSecret(normaliseRecoveryCode(c))),
  )
  return codes
}

/** Turns two-factor off for a user (their recovery codes go too). */
export async function removeTwoFactor(ctx: AppContext, user: UserRow): Promise<void> {
  await updateUser(ctx.store.db, user.sid, { totp_sealed: null, totp_pending_sealed: null }, isoNow(ctx.clock))
  await replaceRecoveryCodes(ctx.store.db, user.sid, [])
}

/** True when the user's account requires two-factor and the user has not enrolled. */
export async function mustEnrol(ctx: AppContext, user: UserRow): Promise<boolean> {
  return (
    user.account_sid !== null && user.totp_sealed === null && (await requiresTwoFactor(ctx.store.db, user.account_sid))
  )
}
