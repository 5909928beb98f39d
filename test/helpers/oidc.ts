/**
 * A real OpenID provider (the `oidc-provider` package) on a loopback port for a test: one
 * confidential client, its developer login page (any login, any password: the login becomes
 * the subject and the email), PKCE required.
 */
import type { Server } from 'node:http'
import Provider from 'oidc-provider'
import { freePort } from './server.js'

export interface TestProvider {
  readonly issuer: string
  /** host:port, for STIRHUB_SSO_ALLOW. */
  readonly hostPort: string
  readonly clientId: string
  readonly clientSecret: string
  stop(): Promise<void>
}

/** Starts a provider whose client redirects to `redirectUri`; `emails` maps a login to the email it vouches for. */
export async function startProvider(redirectUri: string, emails: Record<string, string> = {}): Promise<TestProvider> {
  const port = await freePort()
  const issuer = `http://127.0.0.1:${port}`
  const clientId = 'stirhub-console'
  const clientSecret = 'a-client-secret-of-at-least-32-characters!'
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    claims: { openid: ['sub'], email: ['email', 'email_verified'] },
    findAccount: async (_ctx, sub) => ({
      accountId: sub,
      claims: async () => ({ sub, email: emails[sub] ?? sub, email_verified: true }),
    }),
    pkce: { required: () => true },
    cookies: { keys: ['test-cookie-key-0123456789'] },
    features: { devInteractions: { enabled: true } },
  })
  const server: Server = await new Promise((resolve) => {
    const s = provider.listen(port, '127.0.0.1', () => resolve(s))
  })
  return {
    issuer,
    hostPort: `127.0.0.1:${port}`,
    clientId,
    clientSecret,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
