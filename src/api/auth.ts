/**
 * Who is calling. Customer routes take HTTP Basic `AC…:authToken` or `SK…:secret` (an API
 * key acts as its account); a sub-account may also be named with its parent's credentials
 * (`ACsub:parentToken`), as Twilio allows. Admin routes take `Bearer <operator|reviewer token>`.
 */
import type { FastifyRequest } from 'fastify'
import { childSids, findAccount, findApiKey, type AccountRow } from '../store/accounts.repo.js'
import { findReviewerByToken } from '../store/reviewers.repo.js'
import { secretMatches } from '../security/secrets.js'
import { isSid } from '../domain/ids.js'
import { errors } from '../domain/errors.js'
import { assertActive, effectiveStatus } from '../domain/account-status.js'
import type { AppContext } from '../runtime/context.js'
import { CredentialCache } from './credential-cache.js'
import type { AccountPrincipal, ConsoleUser } from './credentials.js'

export function parseBasic(header: string | undefined): { user: string; pass: string } | undefined {
  if (!header || !/^basic /i.test(header)) return undefined
  const raw = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8')
  const i = raw.indexOf(':')
  if (i < 0) return undefined
  return { user: raw.slice(0, i), pass: raw.slice(i + 1) }
}

export function parseBearer(header: string | undefined): string | undefined {
  if (!header || !/^bearer /i.test(header)) return undefined
  return header.slice(7).trim() || undefined
}

/** What authentication reads of a request (a Fastify request, or the fast lane's). */
export interface Credentialed {
  readonly headers: {
    readonly authorization?: string
    readonly 'x-account-sid'?: string | string[]
    readonly 'x-stirhub-account'?: string | string[]
  }
  /** Set (by the root hook only) when a console user session made the request. */
  readonly consoleUser?: ConsoleUser | null
}

/**
 * `X-Stirhub-Account: AC…` names the sub-account a console session acts in (the console's
 * account switcher); a user of a top-level account may act in any of its sub-accounts.
 */
const ACTING_HEADER = 'x-stirhub-account'

/**
 * Resolves Basic credentials to an account principal, or throws 401 (20003). Credentials
 * verified before are answered from the process's cache while the store's credentials
 * version stands (credential-cache.ts); `ticket` is the store-version ticket taken when the
 * request arrived, so the version read is one that started after it.
 */
export async function authenticateAccount(
  ctx: AppContext,
  req: Credentialed,
  ticket?: number,
): Promise<AccountPrincipal> {
  const header = req.headers.authorization
  if (header === undefined && req.consoleUser) return userPrincipal(ctx, req.consoleUser, req.headers[ACTING_HEADER])
  const cred = parseBasic(header)
  if (!cred) throw errors.unauthenticated()
  const version = (await ctx.version.fresh(ticket)).credentials
  const key = CredentialCache.keyOf(header!)
  const hit = ctx.credentials.accounts.get(key, version)
  if (hit) return hit
  const p = await verifyAccount(ctx, cred)
  ctx.credentials.accounts.set(key, version, p)
  return p
}

/**
 * The principal of credentials this process verified under the current credentials version,
 * else undefined: the fast lane's check, which never reads an account or hashes a secret.
 */
export async function knownAccount(
  ctx: AppContext,
  header: string,
  ticket?: number,
): Promise<AccountPrincipal | undefined> {
  const version = (await ctx.version.fresh(ticket)).credentials
  return ctx.credentials.accounts.get(CredentialCache.keyOf(header), version)
}

async function verifyAccount(ctx: AppContext, cred: { user: string; pass: string }): Promise<AccountPrincipal> {
  const db = ctx.store.db
  let account: AccountRow | undefined
  let via: AccountPrincipal['via'] = 'auth-token'
  if (isSid(cred.user, 'SK')) {
    const key = await findApiKey(db, cred.user)
    if (key && secretMatches(cred.pass, key.secret_hash)) {
      account = await findAccount(db, key.account_sid)
      via = 'api-key'
    }
  } else if (isSid(cred.user, 'AC')) {
    const a = await findAccount(db, cred.user)
    if (a && tokenMatches(cred.pass, a)) account = a
    else if (a?.parent_sid) {
      const parent = await findAccount(db, a.parent_sid)
      if (parent && parent.status === 'active' && tokenMatches(cred.pass, parent)) {
        account = a
        via = 'parent-token'
      }
    }
  }
  if (!account) throw errors.unauthenticated()
  // A sub-account acts with its parent's status when that is worse (domain/account-status.ts).
  const parentStatus =
    account.parent_sid && via !== 'parent-token' ? (await findAccount(db, account.parent_sid))?.status : undefined
  const status = effectiveStatus(account.status, parentStatus)
  if (status === 'closed') throw errors.unauthenticated()
  assertActive(account.sid, status)
  const visible = [account.sid, ...(await childSids(db, account.sid))]
  return { kind: 'account', account, visible, via }
}

/**
 * The principal of a console user of an account: the user's account, or the sub-account of it
 * `acting` names. Read per request (a few indexed reads): a user's role or removal takes
 * effect at once, with no cache to invalidate.
 */
async function userPrincipal(
  ctx: AppContext,
  who: ConsoleUser,
  acting: string | string[] | undefined,
): Promise<AccountPrincipal> {
  const db = ctx.store.db
  if (!who.user.account_sid) throw errors.unauthenticated()
  const home = await findAccount(db, who.user.account_sid)
  if (!home || home.status === 'closed') throw errors.unauthenticated()
  let account = home
  if (typeof acting === 'string' && acting !== home.sid && isSid(acting, 'AC')) {
    const sub = await findAccount(db, acting)
    if (!sub || sub.parent_sid !== home.sid) throw errors.forbidden(`${acting} is not a sub-account of ${home.sid}`)
    account = sub
  }
  const parentStatus = account.parent_sid !== null ? (await findAccount(db, account.parent_sid))?.status : undefined
  const status = effectiveStatus(account.status, parentStatus)
  if (status === 'closed') throw errors.unauthenticated()
  assertActive(account.sid, status)
  const visible = [account.sid, ...(await childSids(db, account.sid))]
  return { kind: 'account', account, visible, via: 'user', user: who.user }
}

/** True when `pass` is the account's primary auth token or, while it has one, its secondary (Twilio's AuthTokens). */
function tokenMatches(pass: string, a: AccountRow): boolean {
  return (
    secretMatches(pass, a.auth_token_hash) ||
    (a.secondary_token_hash !== null && secretMatches(pass, a.secondary_token_hash))
  )
}

/** Checks `Bearer <operator token>`; throws 401 otherwise. */
export function authenticateOperator(ctx: AppContext, req: Credentialed): void {
  if (req.headers.authorization === undefined && req.consoleUser?.user.role === 'operator') return
  const token = parseBearer(req.headers.authorization)
  if (!token) throw errors.unauthenticated()
  // Never `===` against the secret: string comparison stops at the first differing character.
  if (knownOperator(ctx, token)) return
  if (!secretMatches(token, ctx.credentials.operatorTokenHash)) throw errors.unauthenticated()
  ctx.credentials.rememberOperator(token)
}

/** True when `token` is the operator token this process has already matched to its hash. */
export const knownOperator = (ctx: AppContext, token: string): boolean => ctx.credentials.knownOperator(token)

/** Platform staff on /admin/v1: the operator, or a reviewer with its own token. */
export type StaffPrincipal =
  | { readonly kind: 'operator'; readonly actor: 'operator' }
  | { readonly kind: 'reviewer'; readonly actor: string; readonly sid: string; readonly name: string }

/**
 * Resolves `Bearer <operator or reviewer token>` to who it is (every admin action records
 * it); throws 401 otherwise. Account credentials (Basic) never pass here, and staff tokens
 * never pass `authenticateAccount`.
 */
export async function authenticateStaff(ctx: AppContext, req: FastifyRequest): Promise<StaffPrincipal> {
  const person = req.headers.authorization === undefined ? req.consoleUser?.user : undefined
  if (person?.role === 'operator') return { kind: 'operator', actor: 'operator' }
  if (person?.role === 'reviewer')
    return { kind: 'reviewer', actor: `reviewer:${person.sid}`, sid: person.sid, name: person.email }
  const token = parseBearer(req.headers.authorization)
  if (!token) throw errors.unauthenticated()
  if (secretMatches(token, ctx.credentials.operatorTokenHash)) return { kind: 'operator', actor: 'operator' }
  const r = await findReviewerByToken(ctx.store.db, token)
  if (!r) throw errors.unauthenticated()
  return { kind: 'reviewer', actor: `reviewer:${r.sid}`, sid: r.sid, name: r.name }
}
