/**
 * Single sign-on with OpenID Connect (authorization code flow with PKCE, S256) per account,
 * chosen by the email's domain ("people at acme.example sign in through Acme's provider").
 * Every fetch to the provider (discovery, token, keys) goes through the guarded fetcher.
 * The state, nonce and code verifier travel in a sealed, short-lived cookie (SameSite=Lax: the
 * provider's redirect back is a cross-site navigation); the ID token must carry this issuer,
 * this client as audience, the nonce, and a verified email at the rule's domain. A person
 * signing in for the first time becomes a user of the account with its default role.
 */
import { randomBytes, createHash, timingSafeEqual } from 'node:crypto'
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose'
import type { AppContext } from '../../runtime/context.js'
import { AppError } from '../../domain/errors.js'
import { addUser } from './invitations.js'
import { isoNow } from '../../domain/time.js'
import { createGuardedFetcher, type GuardedFetcher } from '../../security/guarded-fetch.js'
import { findSsoByDomain, findUserByEmail, type AccountSsoRow, type UserRow } from '../../store/users.repo.js'

export const SSO_COOKIE = 'stirhub_sso'
const PURPOSE = 'sso-flow'
export const SECRET_PURPOSE = 'sso-client'
/** How long a sign-in at the provider may take. */
export const SSO_FLOW_MS = 10 * 60_000

const refused = (why: string) => new AppError('SSO_REFUSED', `Single sign-on refused: ${why}`, { reason: why })

interface Discovery {
  readonly issuer: string
  readonly authorization_endpoint: string
  readonly token_endpoint: string
  readonly jwks_uri: string
  readonly userinfo_endpoint?: string
}

/** The state of one sign-in, sealed in the cookie until the provider sends the browser back. */
interface Flow {
  readonly state: string
  readonly nonce: string
  readonly verifier: string
  readonly account: string
  readonly email: string
  readonly exp: number
}

const fetchers = new WeakMap<AppContext, GuardedFetcher>()
function fetcherOf(ctx: AppContext): GuardedFetcher {
  let f = fetchers.get(ctx)
  if (!f) {
    f = createGuardedFetcher({
      schemes: ['https:'],
      allow: ctx.config.ssoAllow,
      allowQuery: true,
      timeoutMs: 10_000,
      maxBytes: 256 * 1024,
      maxRedirects: 0,
    })
    fetchers.set(ctx, f)
  }
  return f
}

async function getJson(ctx: AppContext, url: string): Promise<any> {
  const r = await fetcherOf(ctx).fetch(url)
  if (r.status !== 200) throw refused(`${url} answered ${r.status}`)
  return JSON.parse(r.body.toString('utf8'))
}

async function discover(ctx: AppContext, sso: AccountSsoRow): Promise<Discovery> {
  const d = await getJson(ctx, `${sso.issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`)
  // OpenID Connect Discovery §4.3: the document's issuer must be the one configured.
  if (d?.issuer !== sso.issuer) throw refused(`the provider's discovery names issuer ${String(d?.issuer)}`)
  for (const k of ['authorization_endpoint', 'token_endpoint', 'jwks_uri'] as const)
    if (typeof d[k] !== 'string') throw refused(`the provider's discovery has no ${k}`)
  return d as Discovery
}

const b64url = (b: Buffer) => b.toString('base64url')
const redirectUri = (ctx: AppContext) => `${ctx.config.publicUrl}/console/api/sso/callback`

/** The account whose domain rule covers `email`, or undefined. */
export async function ssoFor(ctx: AppContext, email: string): Promise<AccountSsoRow | undefined> {
  return findSsoByDomain(ctx.store.db, email.slice(email.lastIndexOf('@') + 1))
}

/** Starts a sign-in: the provider URL to send the browser to, and the sealed flow cookie value. */
export async function startSso(
  ctx: AppContext,
  sso: AccountSsoRow,
  email: string,
): Promise<{ readonly redirect: string; readonly cookie: string }> {
  const d = await discover(ctx, sso)
  const flow: Flow = {
    state: b64url(randomBytes(24)),
    nonce: b64url(randomBytes(24)),
    verifier: b64url(randomBytes(32)),
    account: sso.account_sid,
    email,
    exp: ctx.clock().getTime() + SSO_FLOW_MS,
  }
  const url = new URL(d.authorization_endpoint)
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: sso.client_id,
    redirect_uri: redirectUri(ctx),
    scope: 'openid email',
    state: flow.state,
    nonce: flow.nonce,
    code_challenge: b64url(createHash('sha256').update(flow.verifier).digest()),
    code_challenge_method: 'S256',
    login_hint: email,
  }).toString()
  return { redirect: url.toString(), cookie: ctx.sealer.seal(JSON.stringify(flow), PURPOSE) }
}

function openFlow(ctx: AppContext, raw: string | undefined): Flow {
  if (!raw) throw refused('no sign-in is in progress in this browser')
  let f: Flow
  try {
    f = JSON.parse(ctx.sealer.open(raw, PURPOSE).toString('utf8')) as Flow
  } catch {
    throw refused('the sign-in cookie is not valid')
  }
  if (!(f.exp > ctx.clock().getTime())) throw refused('the sign-in took too long: start again')
  return f
}

const same = (a: string, b: string) => {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/**
 * Checks an ID token (RFC 7519 via jose): signed by a key of `jwks`, issued by `issuer` for
 * `audience`, unexpired, with `nonce`; answers its claims. Throws SSO_REFUSED otherwise.
 */
export async function checkIdToken(
  token: string,
  jwks: JSONWebKeySet,
  o: { readonly issuer: string; readonly audience: string; readonly nonce: string; readonly now: Date },
): Promise<JWTPayload> {
  let payload: JWTPayload
  try {
    ;({ payload } = await jwtVerify(token, createLocalJWKSet(jwks), {
      issuer: o.issuer,
      audience: o.audience,
      currentDate: o.now,
      algorithms: ['RS256', 'ES256', 'PS256', 'EdDSA'],
    }))
  } catch (e) {
    throw refused(`the ID token is not valid (${(e as Error).message})`)
  }
  if (typeof payload.nonce !== 'string' || !same(payload.nonce, o.nonce))
    throw refused('the ID token has another nonce')
  return payload
}

/**
 * The email claims from the UserInfo endpoint, for providers that keep them out of the ID
 * token (OpenID Connect Core §5.4); its `sub` must be the ID token's (§5.3.2).
 */
async function userInfo(
  ctx: AppContext,
  d: Discovery,
  accessToken: string | undefined,
  claims: JWTPayload,
): Promise<JWTPayload> {
  if (!d.userinfo_endpoint || !accessToken) throw refused('the provider vouched for no email')
  const r = await fetcherOf(ctx).fetch(d.userinfo_endpoint, { headers: { authorization: `Bearer ${accessToken}` } })
  if (r.status !== 200) throw refused(`the provider's userinfo endpoint answered ${r.status}`)
  const info = JSON.parse(r.body.toString('utf8')) as JWTPayload
  if (info.sub !== claims.sub) throw refused('the userinfo answer is about another subject')
  return info
}

/** Finishes a sign-in from the provider's redirect: the user it signs in (made on first sign-in). */
export async function finishSso(
  ctx: AppContext,
  cookie: string | undefined,
  q: { readonly code?: string; readonly state?: string; readonly error?: string; readonly iss?: string },
): Promise<UserRow> {
  const flow = openFlow(ctx, cookie)
  if (q.error) throw refused(`the provider answered ${q.error}`)
  if (!q.state || !same(q.state, flow.state)) throw refused('the state does not match this browser’s sign-in')
  if (!q.code) throw refused('the provider sent no code')
  const sso = await ssoFor(ctx, flow.email)
  if (!sso || sso.account_sid !== flow.account) throw refused('single sign-on changed during the sign-in')
  // RFC 9207: a provider that names itself in the redirect must be this one (mix-up attacks).
  if (q.iss !== undefined && q.iss !== sso.issuer) throw refused(`the answer comes from issuer ${q.iss}`)
  const d = await discover(ctx, sso)
  const secret = ctx.sealer.open(sso.client_secret_sealed, SECRET_PURPOSE).toString('utf8')
  const basic = Buffer.from(`${encodeURIComponent(sso.client_id)}:${encodeURIComponent(secret)}`).toString('base64')
  const r = await fetcherOf(ctx).fetch(d.token_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${basic}` },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: q.code,
      redirect_uri: redirectUri(ctx),
      code_verifier: flow.verifier,
    }).toString(),
  })
  if (r.status !== 200) throw refused(`the provider's token endpoint answered ${r.status}`)
  const tokens = JSON.parse(r.body.toString('utf8')) as { id_token?: string; access_token?: string }
  if (typeof tokens.id_token !== 'string') throw refused('the provider sent no ID token')
  const claims = await checkIdToken(tokens.id_token, await getJson(ctx, d.jwks_uri), {
    issuer: sso.issuer,
    audience: sso.client_id,
    nonce: flow.nonce,
    now: ctx.clock(),
  })
  const vouched = typeof claims.email === 'string' ? claims : await userInfo(ctx, d, tokens.access_token, claims)
  const email = typeof vouched.email === 'string' ? vouched.email.trim().toLowerCase() : ''
  if (!email || vouched.email_verified === false) throw refused('the provider vouched for no verified email')
  if (email.slice(email.lastIndexOf('@') + 1) !== sso.domain) throw refused(`${email} is not at ${sso.domain}`)
  const known = await findUserByEmail(ctx.store.db, email)
  if (known) {
    if (known.account_sid !== sso.account_sid || known.status !== 'active')
      throw refused(`${email} cannot sign in here`)
    return known
  }
  const now = isoNow(ctx.clock)
  // No password: this person signs in through the provider (a reset can give them one).
  return addUser(ctx, { account_sid: sso.account_sid, email, password_hash: 'sso', role: sso.default_role }, now, {
    via: 'sso',
  })
}
