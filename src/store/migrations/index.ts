import type { Migration, MigrationProvider } from 'kysely'
import * as trusthub from './2026-11-28T0100-trusthub.js'
import * as vetting from './2026-11-28T0200-vetting.js'
import * as attestation from './2026-11-28T0210-attestation.js'
import * as idempotency from './2026-11-28T0220-idempotency.js'
import * as certificates from './2026-11-28T0230-certificates.js'
import * as verification from './2026-11-28T0245-verification.js'
import * as credentialsVersion from './2026-11-28T0300-credentials-version.js'
import * as decisionChanges from './2026-11-28T0310-decision-changes.js'
import * as consoleSignOuts from './2026-11-29T0100-console-sign-outs.js'
import * as versionNotify from './2026-11-29T0200-version-notify.js'
import * as reviewEvaluation from './2026-11-30T0100-review-evaluation.js'
import * as numberInventory from './2026-12-06T0100-number-inventory.js'
import * as bundleCopies from './2026-12-06T0200-bundle-copies.js'
import * as access from './2026-12-06T0300-access.js'
import * as sipTrunks from './2026-12-06T0400-sip-trunks.js'
import * as hostedNumbers from './2026-12-06T0500-hosted-numbers.js'
import * as bulkAssignmentJobs from './2026-12-06T0600-bulk-assignment-jobs.js'
import * as accountSearch from './2026-12-06T0610-account-search.js'
import * as reviewSnapshots from './2026-12-06T1500-review-snapshots.js'
import * as sharedJobs from './2026-12-06T0600-shared-jobs.js'
import * as callRecords from './2026-12-06T1700-call-records.js'
import * as approvedBrands from './2026-12-06T1710-approved-brands.js'
import * as analyticsCounterHours from './2026-12-06T1837-analytics-counter-hours.js'
import * as tracebackOrigid from './2026-12-06T1850-traceback-origid.js'
import * as users from './2026-12-06T1900-users.js'
import * as notifyMailOutbox from './2026-12-06T1930-notify-mail-outbox.js'

/** Every migration, by its timestamped name. Static imports keep them bundled with the app. */
const MIGRATIONS: Record<string, Migration> = {
  '2026-11-28T0100-trusthub': trusthub,
  '2026-11-28T0200-vetting': vetting,
  '2026-11-28T0210-attestation': attestation,
  '2026-11-28T0220-idempotency': idempotency,
  '2026-11-28T0230-certificates': certificates,
  '2026-11-28T0245-verification': verification,
  '2026-11-28T0300-credentials-version': credentialsVersion,
  '2026-11-28T0310-decision-changes': decisionChanges,
  '2026-11-29T0100-console-sign-outs': consoleSignOuts,
  '2026-11-29T0200-version-notify': versionNotify,
  '2026-11-30T0100-review-evaluation': reviewEvaluation,
  '2026-12-06T0100-number-inventory': numberInventory,
  '2026-12-06T0200-bundle-copies': bundleCopies,
  '2026-12-06T0300-access': access,
  '2026-12-06T0400-sip-trunks': sipTrunks,
  '2026-12-06T0500-hosted-numbers': hostedNumbers,
  '2026-12-06T0600-bulk-assignment-jobs': bulkAssignmentJobs,
  '2026-12-06T0610-account-search': accountSearch,
  '2026-12-06T1500-review-snapshots': reviewSnapshots,
  '2026-12-06T0600-shared-jobs': sharedJobs,
  '2026-12-06T1700-call-records': callRecords,
  '2026-12-06T1710-approved-brands': approvedBrands,
  '2026-12-06T1837-analytics-counter-hours': analyticsCounterHours,
  '2026-12-06T1850-traceback-origid': tracebackOrigid,
  '2026-12-06T1900-users': users,
  '2026-12-06T1930-notify-mail-outbox': notifyMailOutbox,
}

/** Registers a later migration (kept in one list so the order is the names' order). */
export function allMigrations(): Record<string, Migration> {
  return MIGRATIONS
}

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => MIGRATIONS,
}
