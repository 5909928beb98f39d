/**
 * /console/api/session: sign in (a person's email and password, or an Account SID + auth
 * token, API key SID + secret, or an operator/reviewer token), who am I, sign out; and
 * /console/api/sessions: a signed-in person's sessions, each revocable. Token credentials are
 * checked by the same code the API uses, then kept only inside the sealed HttpOnly cookie
 * (see session.ts); a person's session lives on the server (user-session.ts).
 */
import { Type } from 'typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { App } from '../app-types.js'
import type { AppContext } from '../../runtime/context.js'
import { authenticateAccount, authenticateStaff } from '../auth.js'
import { AppError, errors } from '../../domain/errors.js'
import { parseCookies, setCookie } from './cookies.js'
import { finishSso, SSO_COOKIE, SSO_FLOW_MS, ssoFor, startSso } from './sso.js'
import {
  authorizationOf,
  CSRF_COOKIE,
  newSession,
  sealSession,
  SESSION_COOKIE,
  SESSION_TTL_MS,
  type Session,
  type TokenCredential,
} from './session.js'
import { activeSession, endIfInactive, requireCsrf, sessionOf } from './session-auth.js'
import { resolveUserSession, startUserSession } from './user-session.js'
import { mustEnrol } from './two-factor.js'
import { perUserLimiter, presentSession, presentUser, signInUser, userHook } from './users.js'
import type { ConsoleUser } from '../credentials.js'
import { deleteSession, endSession, listSessions } from '../../store/users.repo.js'
import { hashSecret } from '../../security/secrets.js'
import { acceptInvitation, completeReset, requestReset } from './invitations.js'
import { checkNewPassword, normaliseEmail } from '../../domain/users.js'
import { mailerFor } from '../../mail/mailer.js'
import { requireSameOrigin } from './same-origin.js'
import { recordSignOut } from '../../store/accounts.repo.js'
import { isoNow } from '../../domain/time.js'

const SignIn = Type.Object({
  Email: Type.Optional(Type.String({ maxLength: 320, description: "A console user's email" })),
  Code: Type.Optional(
    Type.String({ maxLength: 32, description: 'Two-factor code from the authenticator app, or a recovery code' }),
  ),
  Username: Type.Optional(Type.String({ maxLength: 64, description: 'Account SID (AC…) or API key SID (SK…)' })),
  Password: Type.Optional(
    Type.String({ maxLength: 256, description: "The user's password, or an auth token or API key secret" }),
  ),
  Token: Type.Optional(Type.String({ maxLength: 256, description: 'Operator or reviewer token' })),
})

/** True for `application/json`, with or without parameters. */
const isJson = (type: string | undefined) =>
  type !== undefined && type.split(';')[0]!.trim().toLowerCase() === 'application/json'

/** The account a console session acts as, as the session answer shows it. */
function accountView(p: Awaited<ReturnType<typeof authenticateAccount>>) {
  return {
    kind: 'account' as const,
    account_sid: p.account.sid,
    friendly_name: p.account.friendly_name,
    parent_account_sid: p.account.parent_sid,
    via: p.via,
    sub_account_count: p.visible.length - 1,
  }
}

export function sessionRoutes(app: App, ctx: AppContext) {
  const secure = ctx.config.publicUrl.startsWith('https:')
  const tags = ['console']
  const perUser = perUserLimiter(ctx.config.authFailureLimit)
  const self = userHook(ctx)

  /** Checks a credential the way the API would; throws 401 (20003) when it is not valid. */
  const check = async (body: { Username?: string; Password?: string; Token?: string }): Promise<TokenCredential> => {
    if (body.Token) {
      // The staff check of /admin/v1 itself (no request of its own: the client's address is the one that failed).
      const staff = await authenticateStaff(ctx, {
        headers: { authorization: `Bearer ${body.Token}` },
      } as FastifyRequest)
      return { kind: 'bearer', token: body.Token, role: staff.kind }
    }
    if (!body.Username) throw errors.missing('Username')
    if (!body.Password) throw errors.missing('Password')
    const cred: TokenCredential = { kind: 'basic', user: body.Username, pass: body.Password }
    await authenticateAccount(ctx, { headers: { authorization: authorizationOf(cred) } } as FastifyRequest)
    return cred
  }

  /** The session as the browser may see it: never the credential. */
  const describe = async (s: Session, who?: ConsoleUser) => {
    // `mail`: whether this server sends email (invitations, notices); the console says when it does not.
    const common = {
      csrf_token: s.csrf,
      expires_at: new Date(s.expiresAt).toISOString(),
      mail: mailerFor(ctx.config).configured,
    }
    if (s.cred.kind === 'bearer') return { kind: 'admin', role: s.cred.role, ...common }
    if (s.cred.kind === 'user') {
      const u = who ?? (await resolveUserSession(ctx, s))
      if (!u) throw errors.unauthenticated()
      const user = { ...presentUser(u.user), must_enrol_two_factor: await mustEnrol(ctx, u.user) }
      if (!u.user.account_sid) return { kind: 'admin', role: u.user.role, user, ...common }
      return { ...accountView(await authenticateAccount(ctx, { headers: {}, consoleUser: u })), user, ...common }
    }
    const p = await authenticateAccount(ctx, { headers: { authorization: authorizationOf(s.cred) } } as FastifyRequest)
    return { ...accountView(p), ...common }
  }

  const writeCookies = (reply: FastifyReply, s: Session | undefined) => {
    const ttl = s?.cred.kind === 'user' ? ctx.config.sessionMaxHours * 3600_000 : SESSION_TTL_MS
    const maxAge = s ? Math.floor(ttl / 1000) : 0
    reply.header('set-cookie', [
      setCookie(SESSION_COOKIE, s ? sealSession(ctx.sealer, s) : '', { httpOnly: true, secure, maxAge }),
      setCookie(CSRF_COOKIE, s ? s.csrf : '', { httpOnly: false, secure, maxAge }),
    ])
    reply.header('cache-control', 'no-store')
  }

  // JSON only, from this origin's own page: a form another site posts never signs a browser in.
  const sameSiteJson = async (req: FastifyRequest) => {
    requireSameOrigin(req, ctx.config.publicUrl)
    if (!isJson(req.headers['content-type']))
      throw new AppError('UNSUPPORTED_MEDIA', 'Unsupported Content-Type: sign-in takes application/json only')
  }

  app.post(
    '/console/api/session',
    {
      schema: { tags, summary: "Sign in to the console (JSON from the console's own origin only)", body: SignIn },
      config: { credentialsInBody: true },
      onRequest: async (req) => sameSiteJson(req),
    },
    async (req, reply) => {
      const s =
        req.body.Email !== undefined
          ? await startUserSession(ctx, req, await signInUser(ctx, req.body, perUser))
          : newSession(await check(req.body), ctx.clock())
      const view = await describe(s)
      writeCookies(reply, s)
      return reply.status(201).send(view)
    },
  )

  app.get('/console/api/session', { schema: { tags, summary: 'The current console session' } }, async (req, reply) => {
    const s = await activeSession(ctx, req)
    if (!s) throw errors.unauthenticated()
    await endIfInactive(ctx, s)
    reply.header('cache-control', 'no-store')
    return describe(s)
  })

  app.delete('/console/api/session', { schema: { tags, summary: 'Sign out' } }, async (req, reply) => {
    const s = sessionOf(ctx, req)
    if (s) {
      requireCsrf(req, s)
      // A copy of the cookie (another tab, or a stolen one) is refused from now on, not only this browser's.
      if (s.cred.kind === 'user') await endSession(ctx.store.db, hashSecret(s.id))
      else await recordSignOut(ctx.store.db, s.id, new Date(s.expiresAt).toISOString(), isoNow(ctx.clock))
    }
    writeCookies(reply, undefined)
    return reply.status(204).send()
  })

  const TokenAndPassword = Type.Object({
    Token: Type.String({ maxLength: 128, description: 'The token of the link (after #token=)' }),
    Password: Type.String({ maxLength: 256, description: 'The new password (12 to 256 characters)' }),
  })

  app.post(
    '/console/api/accept-invitation',
    {
      schema: {
        tags,
        summary: 'Accepts an invitation: sets the password and signs in (the link works once, for 72 hours)',
        body: TokenAndPassword,
      },
      onRequest: async (req) => sameSiteJson(req),
    },
    async (req, reply) => {
      const user = await acceptInvitation(ctx, req.body.Token, checkNewPassword(req.body.Password))
      const s = await startUserSession(ctx, req, user)
      const view = await describe(s)
      writeCookies(reply, s)
      return reply.status(201).send(view)
    },
  )

  app.post(
    '/console/api/password-reset',
    {
      schema: {
        tags,
        summary:
          'Mails a password-reset link when the email is a user’s (the answer is the same either way; without SMTP nothing is sent)',
        body: Type.Object({ Email: Type.String({ maxLength: 320 }) }),
      },
      onRequest: async (req) => sameSiteJson(req),
    },
    async (req, reply) => {
      await requestReset(ctx, normaliseEmail(req.body.Email))
      return reply.status(202).send({ mail: mailerFor(ctx.config).configured ? 'sent-if-known' : 'not-configured' })
    },
  )

  app.post(
    '/console/api/password-reset/complete',
    {
      schema: {
        tags,
        summary: "Sets a new password from a reset link (once, for 72 hours); every one of the user's sessions ends",
        body: TokenAndPassword,
      },
      onRequest: async (req) => sameSiteJson(req),
    },
    async (req, reply) => {
      await completeReset(ctx, req.body.Token, checkNewPassword(req.body.Password))
      return reply.status(204).send()
    },
  )

  app.post(
    '/console/api/sso/start',
    {
      schema: {
        tags,
        summary: "Starts single sign-on for an email whose domain has it: the provider's URL to send the browser to",
        body: Type.Object({ Email: Type.String({ maxLength: 320 }) }),
      },
      onRequest: async (req) => sameSiteJson(req),
    },
    async (req, reply) => {
      const email = normaliseEmail(req.body.Email)
      const sso = await ssoFor(ctx, email)
      if (!sso) throw errors.invalid('Email', 'no single sign-on is set up for this email domain: use your password')
      const { redirect, cookie } = await startSso(ctx, sso, email)
      reply.header(
        'set-cookie',
        setCookie(SSO_COOKIE, cookie, { httpOnly: true, secure, maxAge: SSO_FLOW_MS / 1000, lax: true }),
      )
      reply.header('cache-control', 'no-store')
      return { redirect }
    },
  )

  app.get(
    '/console/api/sso/callback',
    {
      schema: {
        tags,
        summary:
          'Where the provider sends the browser back: checks the answer, signs the person in, goes to the console',
        // A browser's redirect target, not an API operation.
        hide: true,
        querystring: Type.Object({
          code: Type.Optional(Type.String({ maxLength: 2048 })),
          state: Type.Optional(Type.String({ maxLength: 256 })),
          error: Type.Optional(Type.String({ maxLength: 256 })),
          iss: Type.Optional(Type.String({ maxLength: 2048 })),
        }),
      },
    },
    async (req, reply) => {
      const user = await finishSso(ctx, parseCookies(req.headers.cookie)[SSO_COOKIE], req.query)
      const s = await startUserSession(ctx, req, user)
      writeCookies(reply, s)
      reply.header('set-cookie', [
        ...(reply.getHeader('set-cookie') as string[]),
        setCookie(SSO_COOKIE, '', { httpOnly: true, secure, maxAge: 0, lax: true }),
      ])
      return reply.redirect('/console/', 303)
    },
  )

  app.get(
    '/console/api/sessions',
    { onRequest: self, schema: { tags, summary: "The signed-in user's sessions (browsers), newest first" } },
    async (req, reply) => {
      const u = req.consoleUser!
      reply.header('cache-control', 'no-store')
      const rows = await listSessions(ctx.store.db, u.user.sid, isoNow(ctx.clock))
      return { sessions: rows.map((r) => presentSession(r, r.sid === u.session.sid)) }
    },
  )

  app.delete(
    '/console/api/sessions/:Sid',
    {
      onRequest: self,
      schema: {
        tags,
        summary: "Ends one of the signed-in user's sessions (its browser is signed out on its next request)",
        params: Type.Object({ Sid: Type.String({ pattern: '^SN[0-9a-fA-F]{32}$' }) }),
      },
    },
    async (req, reply) => {
      const u = req.consoleUser!
      if (!(await deleteSession(ctx.store.db, u.user.sid, req.params.Sid))) throw errors.notFound(req.url)
      return reply.status(204).send()
    },
  )
}
