/**
 * Fetches Branded Calls logos for the vetting checks and the approval pin (docs/branding.md),
 * through the guarded fetcher: https on 443/8443 only (unless the host is on
 * STIRHUB_LOGO_ALLOW), public addresses only, no redirect to another host, 1 MiB at most, one
 * 5 s deadline. Fetched outside any store transaction: the decision that reads the evidence
 * runs afterwards, and pins the digest of exactly the bytes judged here.
 */
import type { AppContext } from '../runtime/context.js'
import type { Executor } from '../store/db.js'
import type { BundleRow } from '../store/bundles.repo.js'
import { attachmentsOf, toSnapshot } from '../store/attachments.repo.js'
import { createGuardedFetcher, type GuardRules } from '../security/guarded-fetch.js'
import { inspectLogo, LOGO_MAX_BYTES } from '../domain/brand-logo.js'
import { brandText, type LogoEvidence } from '../domain/brand-checks.js'
import { isBrandingPolicy } from '../domain/policies.js'

/** The setting logo fetches read (absent: no host is allowed past the rules). */
export type LogoConfig = { readonly logoAllow?: AppContext['config']['logoAllow'] }

/** How long a logo server has for the whole answer. */
const LOGO_TIMEOUT_MS = 5_000

/** The rules logo fetches follow ({@link fetchLogo}). */
function logoRules(config: LogoConfig): GuardRules {
  return {
    schemes: ['https:'],
    ports: [443, 8443],
    allow: config.logoAllow ?? [],
    timeoutMs: LOGO_TIMEOUT_MS,
    maxBytes: LOGO_MAX_BYTES,
    maxRedirects: 2,
  }
}

/** Fetches `url` and inspects what came back; never throws (a refusal is evidence too). */
async function fetchLogo(config: LogoConfig, url: string): Promise<LogoEvidence> {
  const fetcher = createGuardedFetcher(logoRules(config))
  try {
    const r = await fetcher.fetch(url, { headers: { accept: 'image/png, image/jpeg, image/svg+xml' } })
    if (r.status !== 200) return { url, ok: false, reason: `HTTP ${r.status}` }
    const contentType = r.headers['content-type'] ?? ''
    return { url, ok: true, contentType, inspection: inspectLogo(r.body, contentType), body: r.body }
  } catch (e) {
    return { url, ok: false, reason: (e as Error).message }
  } finally {
    await fetcher.close().catch(() => undefined)
  }
}

/** The logos a branding bundle names, fetched now (an empty map for any other bundle). */
export async function fetchLogosOf(
  config: LogoConfig,
  db: Executor,
  bundle: BundleRow,
): Promise<Map<string, LogoEvidence>> {
  const out = new Map<string, LogoEvidence>()
  if (!isBrandingPolicy(bundle.policy_sid)) return out
  const t = brandText({ policy_sid: bundle.policy_sid, ...toSnapshot(await attachmentsOf(db, bundle)) })
  if (t?.logoUrl) out.set(t.logoUrl, await fetchLogo(config, t.logoUrl))
  return out
}
