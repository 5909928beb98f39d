/**
 * Notification mail: decisions and expiring approvals to an account's owners and compliance
 * users (and its parent account's), SLA breaches to staff reviewers and operators. Queued in
 * the transaction of what they report (store/mail-outbox.repo.ts) and sent by the worker, so a
 * decision is never held up or undone by SMTP. Without STIRHUB_SMTP_URL nothing is queued.
 */
import type { AppContext } from '../runtime/context.js'
import type { Executor } from '../store/db.js'
import { findAccount } from '../store/accounts.repo.js'
import {
  accountUserEmails,
  dueMail,
  enqueueMail,
  markMailFailed,
  markMailSent,
  overdueReviews,
  staffEmails,
  takeMail,
} from '../store/mail-outbox.repo.js'
import { KIND_NAMES } from '../domain/bundle.js'
import type { BundleKind } from '../domain/policies.js'
import { findPolicy } from '../domain/policies.js'
import { rejectionText, retryDelayMs } from '../domain/vetting-rules.js'
import { mailerFor } from './mailer.js'

type Ctx = Pick<AppContext, 'config'>

/** The account roles that hear about their bundles. */
const CARING_ROLES = ['owner', 'compliance'] as const
/** The staff roles that hear about SLA breaches. */
const STAFF_ROLES = ['reviewer', 'operator'] as const
const MAX_ATTEMPTS = 8

interface Bundle {
  readonly sid: string
  readonly account_sid: string
  readonly friendly_name: string
  readonly policy_sid: string
}

const noun = (b: Bundle) => KIND_NAMES[(findPolicy(b.policy_sid)?.kind ?? 'customer-profile') as BundleKind].noun

/** The bundle's account and, for a sub-account, its parent. */
async function accountsOf(db: Executor, accountSid: string): Promise<string[]> {
  const a = await findAccount(db, accountSid)
  return a?.parent_sid ? [accountSid, a.parent_sid] : [accountSid]
}

async function queueToAccount(
  ctx: Ctx,
  db: Executor,
  b: Bundle,
  key: string,
  subject: string,
  body: string,
  now: string,
) {
  if (!ctx.config.smtpUrl) return
  const to = await accountUserEmails(db, await accountsOf(db, b.account_sid), CARING_ROLES)
  await enqueueMail(
    db,
    to.map((email) => ({ dedupeKey: `${key}:${email}`, to: email, subject, body })),
    now,
  )
}

export interface Decision {
  readonly approved: boolean
  readonly reviewSid: string
  readonly validUntil?: string
  readonly codes?: readonly number[]
  readonly reason?: string
}

/** Queues the decision's mail (in the deciding transaction). */
export async function queueDecisionMail(ctx: Ctx, db: Executor, b: Bundle, d: Decision, now: string): Promise<void> {
  const what = d.approved ? 'approved' : 'rejected'
  const lines = [
    `${noun(b)} "${b.friendly_name}" (${b.sid}) was ${what}.`,
    '',
    ...(d.approved
      ? [`The approval is valid until ${d.validUntil}.`]
      : [
          `Reason: ${d.reason ?? ''}`,
          '',
          'What failed:',
          ...(d.codes ?? []).map((c) => `- ${c}: ${rejectionText(c)}`),
          '',
          'Correct the bundle and submit it again.',
        ]),
  ]
  await queueToAccount(
    ctx,
    db,
    b,
    `decision:${d.reviewSid}`,
    `${noun(b)} ${b.friendly_name} ${what}`,
    lines.join('\n'),
    now,
  )
}

/** Queues the 30-day notice of an approval about to run out (in the notice's transaction). */
export async function queueExpiringMail(
  ctx: Ctx,
  db: Executor,
  b: Bundle & { readonly valid_until: string },
  daysLeft: number,
  now: string,
): Promise<void> {
  const body = [
    `The approval of ${noun(b)} "${b.friendly_name}" (${b.sid}) runs out on ${b.valid_until} (in ${daysLeft} days).`,
    '',
    'Submit it again for review before then, or calls it covers lose their attestation.',
  ].join('\n')
  await queueToAccount(
    ctx,
    db,
    b,
    `expiring:${b.sid}:${b.valid_until}`,
    `${noun(b)} ${b.friendly_name} approval expires in ${daysLeft} days`,
    body,
    now,
  )
}

/** Queues one mail per staff reviewer/operator for each open review past its SLA (once per submission); returns how many reviews were new. */
export async function queueSlaBreaches(ctx: Pick<AppContext, 'config' | 'store'>, now: string): Promise<void> {
  if (!ctx.config.smtpUrl) return
  const db = ctx.store.db
  const overdue = await overdueReviews(db, now, 200)
  if (overdue.length === 0) return
  const to = await staffEmails(db, STAFF_ROLES)
  for (const r of overdue) {
    const kind = KIND_NAMES[r.kind as BundleKind]?.noun ?? r.kind
    const body = [
      `${kind} "${r.friendly_name}" (${r.bundle_sid}) of account ${r.account_sid} is past its review SLA.`,
      '',
      `Submitted ${r.submitted_at}, due ${r.due_at}.`,
    ].join('\n')
    await enqueueMail(
      db,
      to.map((email) => ({
        dedupeKey: `sla:${r.review_sid}:${email}`,
        to: email,
        subject: `Review overdue: ${kind} ${r.friendly_name}`,
        body,
      })),
      now,
    )
  }
}

/** Sends due queued mail; without SMTP configured queued rows are dropped. Returns how many were sent. */
export async function sendDueMail(ctx: Pick<AppContext, 'config' | 'store' | 'clock' | 'log'>): Promise<number> {
  const mailer = mailerFor(ctx.config)
  const db = ctx.store.db
  const now = ctx.clock()
  const nowIso = now.toISOString()
  let sent = 0
  for (const m of await dueMail(db, nowIso, 50)) {
    if (!(await takeMail(db, m.id, nowIso, new Date(now.getTime() + 120_000).toISOString()))) continue
    if (!mailer.configured) {
      await markMailFailed(db, m.id, 'Email is not configured', null)
      continue
    }
    try {
      await mailer.send({ to: m.to_address, subject: m.subject, text: m.body })
      await markMailSent(db, m.id, nowIso)
      sent++
    } catch (e) {
      const attempt = m.attempts + 1
      const retryAt =
        attempt >= MAX_ATTEMPTS
          ? null
          : new Date(now.getTime() + retryDelayMs(attempt, 30_000, 3_600_000)).toISOString()
      await markMailFailed(db, m.id, e instanceof Error ? e.message : String(e), retryAt)
      ctx.log.warn({ err: e, mail: m.id }, 'notification mail failed')
    }
  }
  return sent
}
