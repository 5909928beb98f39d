/**
 * The configuration schema: every setting, where it comes from (env or flag), its default and
 * how it is checked. Parsed once at boot, every error listed, then frozen and passed in
 * explicitly. Nothing else in the code reads process.env.
 */
import os from 'node:os'
import path from 'node:path'
import { isIP } from 'node:net'
import { isUriText } from '../domain/uri.js'
import { cidrText, coveredBy, parseCidr, type Cidr } from '../domain/cidr.js'

type Role = 'api' | 'sip' | 'worker'
type Mode = 'development' | 'production'

export interface Config {
  readonly mode: Mode
  readonly port: number
  readonly host: string
  readonly databaseUrl: string
  /** SQLite commits: `normal` (WAL synced at checkpoints) or `full` (synced at every commit). */
  readonly sqliteSync: 'full' | 'normal'
  readonly dataDir: string
  readonly publicUrl: string
  readonly adminToken: string | undefined
  readonly masterKey: string | undefined
  readonly sipSignPort: number
  readonly sipVerifyPort: number
  readonly trustAnchors: string | undefined
  /** STI-PA trust list file, and the STI-PA roots its signer must chain to. */
  readonly trustList: string | undefined
  readonly stiPaRoots: string | undefined
  /** STI-PA API base, credentials and pull period: the worker keeps the trust list current (with trustList); SPC tokens. */
  readonly stiPaApi: string | undefined
  readonly stiPaUser: string | undefined
  readonly stiPaPassword: string | undefined
  readonly trustListRefreshHours: number
  readonly x5uAllow: readonly string[]
  readonly callbackAllow: readonly string[]
  /** host[:port] that branding logos may be fetched from over http or at private addresses (tests, labs). */
  readonly logoAllow: readonly string[]
  /** host[:port] of OpenID providers reachable over http or at private addresses (single sign-on). */
  readonly ssoAllow: readonly string[]
  readonly roles: readonly Role[]
  /** API processes: 1 serves HTTP in the main process; more fork a cluster sharing the port. */
  readonly httpWorkers: number
  readonly logLevel: string
  readonly bodyLimit: number
  /** Numbers (and bundles) the attestation index keeps per process; remembered calls: half as many. */
  readonly indexMaxNumbers: number
  /** SBC addresses (CIDRs) the SIP signing front answers; others get 403. */
  readonly sipTrusted: readonly string[]
  /** Multi-tenant SBCs (CIDRs, within sipTrusted) whose `X-Account-Sid` names the account to sign for; from others it is ignored. */
  readonly sipMultiTenant: readonly string[]
  /** Vetting SLA: hours after submission a business profile / trust product review is due (DESIGN §3). */
  readonly slaProfileHours: number
  readonly slaTrustProductHours: number
  /** Longest approval, in days from the decision: a `ValidUntil` further away is refused. */
  readonly maxApprovalDays: number
  /** Minutes a reviewer's claim lasts before an undecided review returns to the queue. */
  readonly reviewClaimMinutes: number
  /** Status-callback delivery: first retry delay, largest delay, how long to keep retrying, attempt lease, per-attempt timeout. */
  readonly callbackBackoffMs: number
  readonly callbackBackoffMaxMs: number
  readonly callbackRetryHours: number
  readonly callbackLeaseMs: number
  readonly callbackTimeoutMs: number
  /** How often the worker role polls its queues. */
  readonly workerPollMs: number
  /** STI-VS: ATIS-1000080 profile check of x5u certificates, iat freshness, CRL refresh, SIP failure action. */
  readonly verifyProfile: 'strict' | 'lenient'
  readonly verifyFreshnessSec: number
  readonly crlUrls: readonly string[]
  readonly crlRefreshMinutes: number
  readonly verifyFailureAction: 'continue' | 'reject' | 'reason'
  readonly verifyRequireIdentity: boolean
  /** Keep a record of every signed and verified call (search, traceback, analytics). */
  readonly callRecords: boolean
  /** Days call records are kept (whole days: a PostgreSQL partition at a time). */
  readonly callRetentionDays: number
  /** Requests per second per account (0: no limit): the Trust Hub/REST API, and /stir. */
  readonly apiRateLimit: number
  readonly stirRateLimit: number
  /** Failed authentications per 5 minutes with one SID (or staff tokens) from one client address before 429 (0: no limit). */
  readonly authFailureLimit: number
  /** Reverse proxies (CIDRs) whose X-Forwarded-For names the client. */
  readonly trustProxy: readonly string[]
  /** Sign ES256 with the native addon (build/es256.node) when it loads; false keeps node:crypto. */
  readonly nativeSigner: boolean
  /** Answer well-formed signing and verification calls straight off the socket (src/api/stir/fast-lane); false leaves every request to Fastify. */
  readonly httpFastLane: boolean
  /** Console user sessions: minutes without a request before one ends, and hours after which it ends anyway. */
  readonly sessionIdleMinutes: number
  readonly sessionMaxHours: number
  /** SMTP server invitations, resets and notices are sent through (`smtp://` or `smtps://`); none: nothing is sent. */
  readonly smtpUrl: string | undefined
  /** The From address of that mail. */
  readonly mailFrom: string
}

type Parser = (raw: string) => unknown

interface Setting {
  readonly key: keyof Config
  readonly env: string
  readonly flag: string
  readonly description: string
  /** Default, as the raw string a user would type; computed from earlier values when a function. */
  readonly fallback?: string | ((c: Partial<Config>) => string | undefined)
  /** How `--help` states a computed default. */
  readonly fallbackText?: string
  readonly parse: Parser
}

const port: Parser = (raw) => {
  const n = Number(raw)
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`must be a port number 0-65535, got "${raw}"`)
  return n
}
const text: Parser = (raw) => raw
const smtpUrl: Parser = (raw) => {
  let u: URL
  try {
    u = new URL(raw)
  } catch {
    throw new Error(`must be an smtp:// or smtps:// URL, got "${raw}"`)
  }
  if (u.protocol !== 'smtp:' && u.protocol !== 'smtps:')
    throw new Error(`must be an smtp:// or smtps:// URL, got "${raw}"`)
  return raw
}
const listenHost: Parser = (raw) => {
  // An address literal, or a DNS name the resolver gives the listen address for (RFC 1123 labels).
  if (
    isIP(raw) ||
    /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i.test(raw)
  )
    return raw
  throw new Error(`must be an IP address (0.0.0.0 or :: for every interface) or a host name, got "${raw}"`)
}
const list: Parser = (raw) =>
  Object.freeze(
    raw
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  )
const url: Parser = (raw) => {
  let u: URL
  try {
    u = new URL(raw)
  } catch {
    throw new Error(`must be an absolute URL, got "${raw}"`)
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('must be an http(s) URL')
  // PUBLIC_URL becomes every x5u, which goes into Identity headers as written (identity.ts).
  if (!isUriText(raw))
    throw new Error(`must be written with URI characters only (percent-encode the others), got "${raw}"`)
  return raw.replace(/\/+$/, '')
}
const dbUrl: Parser = (raw) => {
  if (!/^(sqlite:|postgres(ql)?:\/\/)/.test(raw)) {
    throw new Error(`must be sqlite:<path>, sqlite::memory: or postgres://…, got "${raw}"`)
  }
  return raw
}
const oneOf =
  (...allowed: string[]): Parser =>
  (raw) => {
    if (!allowed.includes(raw)) throw new Error(`must be one of ${allowed.join(', ')}, got "${raw}"`)
    return raw
  }
const roles: Parser = (raw) => {
  const r = list(raw) as string[]
  for (const x of r)
    if (!['api', 'sip', 'worker'].includes(x)) throw new Error(`unknown role "${x}" (api, sip, worker)`)
  if (r.length === 0) throw new Error('needs at least one role')
  return r
}
const positive: Parser = (raw) => {
  const n = Number(raw)
  if (!Number.isFinite(n) || n <= 0) throw new Error(`must be a positive number, got "${raw}"`)
  return n
}
const onOff: Parser = (raw) => {
  if (raw !== 'on' && raw !== 'off') throw new Error('must be on or off')
  return raw === 'on'
}
const nonNegative: Parser = (raw) => {
  const n = Number(raw)
  if (!Number.isFinite(n) || n < 0) throw new Error(`must be a number >= 0, got "${raw}"`)
  return n
}
const integerAtLeast =
  (min: number): Parser =>
  (raw) => {
    const n = Number(raw)
    if (!Number.isInteger(n) || n < min) throw new Error(`must be an integer >= ${min}`)
    return n
  }
const workers: Parser = (raw) => {
  if (raw === 'auto') return os.availableParallelism()
  const n = Number(raw)
  if (!Number.isInteger(n) || n < 1 || n > 256)
    throw new Error(`must be auto or an integer from 1 to 256, got "${raw}"`)
  return n
}
const cidrs: Parser = (raw) =>
  Object.freeze(
    (list(raw) as string[]).map((c) => {
      const parsed = c.includes('/') ? parseCidr(c) : undefined
      if (!parsed || 'error' in parsed) throw new Error(parsed?.error ?? `"${c}" is not a CIDR (address/prefix)`)
      return cidrText(parsed)
    }),
  )
const approvalDays: Parser = (raw) => {
  const n = Number(raw)
  // 365: the default approval (one year) must fit; 36500: a hundred years, past any real need.
  if (!Number.isInteger(n) || n < 365 || n > 36_500)
    throw new Error(`must be a whole number of days from 365 to 36500, got "${raw}"`)
  return n
}
const secret =
  (min: number): Parser =>
  (raw) => {
    if (raw.length < min) throw new Error(`must be at least ${min} characters`)
    return raw
  }

/** The schema, in the order `stirhub serve --help` lists it. */
export const SETTINGS: readonly Setting[] = [
  {
    key: 'mode',
    env: 'STIRHUB_MODE',
    flag: '--mode',
    description: 'development or production (production refuses to start without STIRHUB_MASTER_KEY)',
    fallback: 'development',
    parse: oneOf('development', 'production'),
  },
  { key: 'port', env: 'PORT', flag: '--port', description: 'HTTP port', fallback: '3000', parse: port },
  // Development listens on loopback only: its generated credentials and dev CA are not for a network.
  {
    key: 'host',
    env: 'HOST',
    flag: '--host',
    description: 'listen address of HTTP and the SIP fronts (0.0.0.0 or :: for every interface)',
    fallback: (c) => (c.mode === 'production' ? '0.0.0.0' : '127.0.0.1'),
    fallbackText: '127.0.0.1 in development, 0.0.0.0 in production',
    parse: listenHost,
  },
  {
    key: 'dataDir',
    env: 'STIRHUB_DATA_DIR',
    flag: '--data-dir',
    description: 'folder for the SQLite database, keys and generated certificates (created 0700, its files 0600)',
    fallback: './data',
    parse: (r) => path.resolve(r),
  },
  {
    key: 'databaseUrl',
    env: 'DATABASE_URL',
    flag: '--database-url',
    description: 'sqlite:<path> (default under the data dir) or postgres://user@host/db',
    fallback: (c) => `sqlite:${path.join(c.dataDir ?? './data', 'stirhub.db')}`,
    parse: dbUrl,
  },
  {
    key: 'sqliteSync',
    env: 'STIRHUB_SQLITE_SYNC',
    flag: '--sqlite-sync',
    description:
      'SQLite durability: normal (a power loss may roll back the last commits, never corrupt the file) or full (every commit on disk before it is answered, slower writes)',
    fallback: 'normal',
    parse: oneOf('full', 'normal'),
  },
  {
    key: 'publicUrl',
    env: 'PUBLIC_URL',
    flag: '--public-url',
    description: 'external base URL of this server (x5u, resource and paging URLs)',
    fallback: (c) => `http://localhost:${c.port ?? 3000}`,
    parse: url,
  },
  {
    key: 'adminToken',
    env: 'STIRHUB_ADMIN_TOKEN',
    flag: '--admin-token',
    description: 'operator token for /admin/v1 (generated and printed once on first start when unset)',
    parse: secret(16),
  },
  {
    key: 'masterKey',
    env: 'STIRHUB_MASTER_KEY',
    flag: '--master-key',
    description:
      'key that encrypts private keys and stored secrets at rest (generated under the data dir in development)',
    parse: secret(32),
  },
  {
    key: 'sipSignPort',
    env: 'SIP_SIGN_PORT',
    flag: '--sip-sign-port',
    description: 'SIP redirect front for signing (UDP and TCP)',
    fallback: '5060',
    parse: port,
  },
  {
    key: 'sipVerifyPort',
    env: 'SIP_VERIFY_PORT',
    flag: '--sip-verify-port',
    description: 'SIP redirect front for verification (UDP and TCP)',
    fallback: '5070',
    parse: port,
  },
  {
    key: 'trustAnchors',
    env: 'STIRHUB_TRUST_ANCHORS',
    flag: '--trust-anchors',
    description: 'PEM bundle of trusted STI-CA roots',
    parse: text,
  },
  {
    key: 'trustList',
    env: 'STIRHUB_TRUST_LIST',
    flag: '--trust-list',
    description:
      'STI-PA trust list file (written by stirhub trust-list import): its STI-CA roots are trusted once its signature and signer check out',
    parse: text,
  },
  {
    key: 'stiPaRoots',
    env: 'STIRHUB_STI_PA_ROOTS',
    flag: '--sti-pa-roots',
    description: 'PEM of the STI-PA root(s) the trust list signer must chain to',
    parse: text,
  },
  {
    key: 'stiPaApi',
    env: 'STIRHUB_STI_PA_API',
    flag: '--sti-pa-api',
    description:
      'STI-PA API base URL (…/api/v1): with STIRHUB_TRUST_LIST the worker pulls the trust list from it; stirhub cert acme asks it for SPC tokens',
    parse: url,
  },
  { key: 'stiPaUser', env: 'STIRHUB_STI_PA_USER', flag: '--sti-pa-user', description: 'STI-PA API user', parse: text },
  {
    key: 'stiPaPassword',
    env: 'STIRHUB_STI_PA_PASSWORD',
    flag: '--sti-pa-password',
    description: 'STI-PA API password',
    parse: text,
  },
  {
    key: 'trustListRefreshHours',
    env: 'STIRHUB_TRUST_LIST_REFRESH_HOURS',
    flag: '--trust-list-refresh-hours',
    description: 'hours between STI-PA trust list pulls',
    fallback: '12',
    parse: positive,
  },
  {
    key: 'x5uAllow',
    env: 'STIRHUB_X5U_ALLOW',
    flag: '--x5u-allow',
    description: 'comma-separated host[:port] that x5u may fetch over http or at private addresses',
    fallback: '',
    parse: list,
  },
  {
    key: 'ssoAllow',
    env: 'STIRHUB_SSO_ALLOW',
    flag: '--sso-allow',
    description:
      'comma-separated host[:port] of OpenID providers single sign-on may reach over http or at private addresses (an identity provider inside your network)',
    fallback: '',
    parse: list,
  },
  {
    key: 'callbackAllow',
    env: 'STIRHUB_CALLBACK_ALLOW',
    flag: '--callback-allow',
    description: 'comma-separated host[:port] that status callbacks may reach at private addresses',
    fallback: '',
    parse: list,
  },
  {
    key: 'logoAllow',
    env: 'STIRHUB_LOGO_ALLOW',
    flag: '--logo-allow',
    description:
      'comma-separated host[:port] that Branded Calls logos may be fetched from over http or at private addresses',
    fallback: '',
    parse: list,
  },
  {
    key: 'roles',
    env: 'STIRHUB_ROLES',
    flag: '--roles',
    description: 'process roles to run: api,sip,worker',
    fallback: 'api,sip,worker',
    parse: roles,
  },
  {
    key: 'httpWorkers',
    env: 'STIRHUB_HTTP_WORKERS',
    flag: '--http-workers',
    description:
      'API processes sharing the HTTP port (a number, or auto for one per core); 1 serves in the main process',
    fallback: 'auto',
    parse: workers,
  },
  {
    key: 'logLevel',
    env: 'LOG_LEVEL',
    flag: '--log-level',
    description: 'pino log level',
    fallback: 'info',
    parse: oneOf('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'),
  },
  {
    key: 'bodyLimit',
    env: 'STIRHUB_BODY_LIMIT',
    flag: '--body-limit',
    description: 'largest request body in bytes',
    fallback: '1048576',
    parse: integerAtLeast(1024),
  },
  {
    key: 'indexMaxNumbers',
    env: 'STIRHUB_INDEX_MAX_NUMBERS',
    flag: '--index-max-numbers',
    description:
      'calling numbers (and bundles) the attestation index keeps in memory per process, ~0.5 KB each; remembered calls: half as many, ~1.75 KB each',
    fallback: '500000',
    parse: integerAtLeast(1000),
  },
  {
    key: 'sipTrusted',
    env: 'STIRHUB_SIP_TRUSTED',
    flag: '--sip-trusted',
    description:
      "comma-separated CIDRs of SBCs the SIP fronts serve (others get 403); an INVITE to the signing front must also come from a SIP trunk's source address (stirhub trunks add)",
    fallback: '127.0.0.1/32,::1/128',
    parse: cidrs,
  },
  {
    key: 'sipMultiTenant',
    env: 'STIRHUB_SIP_MULTI_TENANT',
    flag: '--sip-multi-tenant',
    description:
      'comma-separated CIDRs (within STIRHUB_SIP_TRUSTED) of multi-tenant SBCs whose X-Account-Sid header names the account to sign for; they must strip it from customer traffic; from other sources it is ignored',
    fallback: '',
    parse: cidrs,
  },
  {
    key: 'slaProfileHours',
    env: 'STIRHUB_SLA_PROFILE_HOURS',
    flag: '--sla-profile-hours',
    description: 'hours a submitted business profile may wait for a decision before it is overdue',
    fallback: '24',
    parse: positive,
  },
  {
    key: 'slaTrustProductHours',
    env: 'STIRHUB_SLA_TRUST_PRODUCT_HOURS',
    flag: '--sla-trust-product-hours',
    description: 'hours a submitted trust product may wait for a decision before it is overdue',
    fallback: '72',
    parse: positive,
  },
  {
    key: 'maxApprovalDays',
    env: 'STIRHUB_MAX_APPROVAL_DAYS',
    flag: '--max-approval-days',
    description:
      'longest approval in days: a ValidUntil further from the decision is refused with 400 (at least 365, the default approval)',
    fallback: '730',
    parse: approvalDays,
  },
  {
    key: 'reviewClaimMinutes',
    env: 'STIRHUB_REVIEW_CLAIM_MINUTES',
    flag: '--review-claim-minutes',
    description: 'minutes a reviewer holds a claimed review before it returns to the queue',
    fallback: '60',
    parse: positive,
  },
  {
    key: 'callbackBackoffMs',
    env: 'STIRHUB_CALLBACK_BACKOFF_MS',
    flag: '--callback-backoff-ms',
    description: 'first status-callback retry delay (doubles each attempt, with jitter)',
    fallback: '30000',
    parse: positive,
  },
  {
    key: 'callbackBackoffMaxMs',
    env: 'STIRHUB_CALLBACK_BACKOFF_MAX_MS',
    flag: '--callback-backoff-max-ms',
    description: 'largest status-callback retry delay',
    fallback: '3600000',
    parse: positive,
  },
  {
    key: 'callbackRetryHours',
    env: 'STIRHUB_CALLBACK_RETRY_HOURS',
    flag: '--callback-retry-hours',
    description: 'hours a status callback is retried before it is given up',
    fallback: '25',
    parse: positive,
  },
  {
    key: 'callbackLeaseMs',
    env: 'STIRHUB_CALLBACK_LEASE_MS',
    flag: '--callback-lease-ms',
    description: "how long a worker holds a claimed callback (a crashed worker's claim expires after this)",
    fallback: '60000',
    parse: positive,
  },
  {
    key: 'callbackTimeoutMs',
    env: 'STIRHUB_CALLBACK_TIMEOUT_MS',
    flag: '--callback-timeout-ms',
    description: 'deadline of one status-callback attempt',
    fallback: '10000',
    parse: positive,
  },
  {
    key: 'workerPollMs',
    env: 'STIRHUB_WORKER_POLL_MS',
    flag: '--worker-poll-ms',
    description: 'how often the worker polls for callbacks and timers',
    fallback: '1000',
    parse: positive,
  },
  {
    key: 'verifyProfile',
    env: 'STIRHUB_VERIFY_PROFILE',
    flag: '--verify-profile',
    description: 'STI-VS certificate profile check: strict (every ATIS-1000080 deviation fails) or lenient',
    fallback: 'lenient',
    parse: oneOf('strict', 'lenient'),
  },
  {
    key: 'verifyFreshnessSec',
    env: 'STIRHUB_VERIFY_FRESHNESS',
    flag: '--verify-freshness',
    description: 'seconds a PASSporT iat may differ from now, past or future',
    fallback: '60',
    parse: positive,
  },
  {
    key: 'crlUrls',
    env: 'STIRHUB_CRL_URLS',
    flag: '--crl-urls',
    description: 'comma-separated CRL URLs refreshed on a schedule (besides those named by certificates)',
    fallback: '',
    parse: list,
  },
  {
    key: 'crlRefreshMinutes',
    env: 'STIRHUB_CRL_REFRESH_MINUTES',
    flag: '--crl-refresh-minutes',
    description: 'minutes between CRL downloads',
    fallback: '60',
    parse: positive,
  },
  {
    key: 'verifyFailureAction',
    env: 'STIRHUB_VERIFY_FAILURE_ACTION',
    flag: '--verify-failure-action',
    description:
      'SIP verify front default on failure: continue (verstat only), reject (RFC 8224 code) or reason (continue with RFC 9410 Reason: STIR)',
    fallback: 'continue',
    parse: oneOf('continue', 'reject', 'reason'),
  },
  {
    key: 'verifyRequireIdentity',
    env: 'STIRHUB_VERIFY_REQUIRE_IDENTITY',
    flag: '--verify-require-identity',
    description: 'SIP verify front default: answer 428 to an INVITE without Identity (true/false)',
    fallback: 'false',
    parse: (r) => {
      if (r !== 'true' && r !== 'false') throw new Error('must be true or false')
      return r === 'true'
    },
  },
  {
    key: 'callRecords',
    env: 'STIRHUB_CALL_RECORDS',
    flag: '--call-records',
    description: 'record every signed and verified call for search, traceback and analytics (on/off)',
    fallback: 'on',
    parse: onOff,
  },
  {
    key: 'callRetentionDays',
    env: 'STIRHUB_CALL_RETENTION_DAYS',
    flag: '--call-retention-days',
    description: 'days call records are kept before they are dropped',
    fallback: '90',
    parse: positive,
  },
  {
    key: 'apiRateLimit',
    env: 'STIRHUB_API_RATE_LIMIT',
    flag: '--api-rate-limit',
    description:
      'requests per second an account may make to the Trust Hub, accounts and numbers API (bursts of twice that; 0: no limit); over it, 429 with Retry-After',
    fallback: '100',
    parse: nonNegative,
  },
  {
    key: 'stirRateLimit',
    env: 'STIRHUB_STIR_RATE_LIMIT',
    flag: '--stir-rate-limit',
    description:
      'signings and verifications per second per account on /stir (the account named by X-Account-Sid for an SBC), and calls per second per account on the SIP signing front (503 with Retry-After); bursts of twice that; 0: no limit',
    fallback: '0',
    parse: nonNegative,
  },
  {
    key: 'authFailureLimit',
    env: 'STIRHUB_AUTH_FAILURE_LIMIT',
    flag: '--auth-failure-limit',
    description:
      'failed authentications per 5 minutes with one SID (Basic) or one bearer token from one client address; past it, that SID or token gets 429 from there until it earns one back (0: no limit)',
    fallback: '50',
    parse: nonNegative,
  },
  {
    key: 'trustProxy',
    env: 'STIRHUB_TRUST_PROXY',
    flag: '--trust-proxy',
    description: 'comma-separated CIDRs of reverse proxies whose X-Forwarded-For names the client address',
    fallback: '',
    parse: cidrs,
  },
  {
    key: 'nativeSigner',
    env: 'STIRHUB_NATIVE_SIGNER',
    flag: '--native-signer',
    description: 'sign ES256 with the native addon built at install (on), or with node:crypto only (off)',
    fallback: 'on',
    parse: onOff,
  },
  {
    key: 'httpFastLane',
    env: 'STIRHUB_HTTP_FAST_LANE',
    flag: '--http-fast-lane',
    description:
      'answer well-formed POST /stir/v1/signing and /stir/v1/verification calls straight off the socket (on), or leave every request to the HTTP framework (off)',
    fallback: 'on',
    parse: onOff,
  },
  {
    key: 'sessionIdleMinutes',
    env: 'STIRHUB_SESSION_IDLE_MINUTES',
    flag: '--session-idle-minutes',
    description: 'minutes without a request after which a console user session ends',
    fallback: '30',
    parse: positive,
  },
  {
    key: 'sessionMaxHours',
    env: 'STIRHUB_SESSION_MAX_HOURS',
    flag: '--session-max-hours',
    description: 'hours after sign-in after which a console user session ends however active',
    fallback: '12',
    parse: positive,
  },
  {
    key: 'smtpUrl',
    env: 'STIRHUB_SMTP_URL',
    flag: '--smtp-url',
    description:
      'SMTP server for invitation, password-reset and notice mail (smtp://user:pass@host:587 or smtps://…); unset: no mail is sent and the link is shown to whoever asked',
    parse: smtpUrl,
  },
  {
    key: 'mailFrom',
    env: 'STIRHUB_MAIL_FROM',
    flag: '--mail-from',
    description: 'From address of the mail stirhub sends',
    fallback: 'stirhub@localhost',
    parse: text,
  },
]

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`)
    this.name = 'ConfigError'
  }
}

/**
 * Builds the frozen config from env and flag values (flags win). Throws a ConfigError listing
 * every bad value, each naming its variable.
 */
export function loadConfig(
  env: Record<string, string | undefined>,
  flags: Record<string, string | undefined> = {},
): Config {
  const out: Partial<Record<keyof Config, unknown>> = {}
  const problems: string[] = []
  for (const s of SETTINGS) {
    const given = flags[s.key] ?? env[s.env]
    const raw =
      given !== undefined && given !== ''
        ? given
        : typeof s.fallback === 'function'
          ? s.fallback(out as Partial<Config>)
          : s.fallback
    if (raw === undefined) {
      out[s.key] = undefined
      continue
    }
    try {
      out[s.key] = s.parse(raw)
    } catch (e) {
      problems.push(`${s.env} (${s.flag}): ${(e as Error).message}`)
    }
  }
  if (problems.length === 0 && out.mode === 'production' && !out.masterKey) {
    problems.push('STIRHUB_MASTER_KEY (--master-key): required in production mode (private keys are encrypted with it)')
  }
  if (problems.length === 0) {
    const trusted = (out.sipTrusted as string[]).map((c) => parseCidr(c) as Cidr)
    for (const c of out.sipMultiTenant as string[]) {
      if (!coveredBy(parseCidr(c) as Cidr, trusted))
        problems.push(
          `STIRHUB_SIP_MULTI_TENANT (--sip-multi-tenant): ${c} is not within STIRHUB_SIP_TRUSTED (the trusted SBCs are the outer gate)`,
        )
    }
  }
  if (problems.length === 0 && out.trustList && !out.stiPaRoots) {
    problems.push(
      'STIRHUB_STI_PA_ROOTS (--sti-pa-roots): required with STIRHUB_TRUST_LIST (the list is trusted only when its signer chains to an STI-PA root)',
    )
  }
  if (problems.length === 0 && out.stiPaApi) {
    for (const [k, env] of [
      ['stiPaUser', 'STIRHUB_STI_PA_USER'],
      ['stiPaPassword', 'STIRHUB_STI_PA_PASSWORD'],
    ] as const) {
      if (!out[k]) problems.push(`${env}: required with STIRHUB_STI_PA_API`)
    }
  }
  if (problems.length) throw new ConfigError(problems)
  return Object.freeze(out) as Config
}

/** Help text for `stirhub serve --help`. */
export function describeSettings(): string {
  return SETTINGS.map((s) => {
    const def = s.fallbackText
      ? ` (default: ${s.fallbackText})`
      : typeof s.fallback === 'string'
        ? ` (default: ${s.fallback || 'empty'})`
        : ''
    return `  ${s.env.padEnd(24)} ${s.flag.padEnd(20)} ${s.description}${def}`
  }).join('\n')
}
