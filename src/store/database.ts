import type { AccountsTable, ApiKeysTable, ConsoleSignOutsTable, SettingsTable } from './tables/accounts.table.js'
import type { AddressesTable, PhoneNumberInventoryTable, PhoneNumbersTable } from './tables/numbers.table.js'
import type {
  BundlesTable,
  ChannelEndpointAssignmentsTable,
  EndUsersTable,
  EntityAssignmentsTable,
  EvaluationsTable,
  SupportingDocumentsTable,
} from './tables/bundles.table.js'
import type { EventsTable, OutboxTable, ReviewersTable, ReviewsTable } from './tables/vetting.table.js'
import type { DecisionChangesTable, DecisionVersionTable, SigningCountersTable } from './tables/attestation.table.js'
import type { IdempotencyKeysTable } from './tables/idempotency.table.js'
import type { CertificatesTable } from './tables/certificates.table.js'
import type { AuthorizationDocumentsTable, HostedNumberOrdersTable } from './tables/hosted-numbers.table.js'
import type { VerificationCountersTable, VerificationPoliciesTable } from './tables/verification.table.js'
import type { SipTrunksTable } from './tables/sip-trunks.table.js'
import type { BulkAssignmentJobsTable } from './tables/bulk-assignment-jobs.table.js'
import type { CrlsTable, LeasesTable } from './tables/shared.table.js'
import type { CallRecordsTable } from './tables/call-records.table.js'
import type { ApprovedBrandsTable } from './tables/brands.table.js'
import type { MailOutboxTable } from './tables/mail-outbox.table.js'
import type {
  AccountSecurityTable,
  AccountSsoTable,
  UserRecoveryCodesTable,
  UserSessionsTable,
  UsersTable,
  UserTokensTable,
} from './tables/users.table.js'

/** The whole schema as Kysely sees it; every query's types flow from here. */
export interface Database {
  accounts: AccountsTable
  api_keys: ApiKeysTable
  settings: SettingsTable
  phone_numbers: PhoneNumbersTable
  phone_number_inventory: PhoneNumberInventoryTable
  addresses: AddressesTable
  bundles: BundlesTable
  end_users: EndUsersTable
  supporting_documents: SupportingDocumentsTable
  entity_assignments: EntityAssignmentsTable
  channel_endpoint_assignments: ChannelEndpointAssignmentsTable
  evaluations: EvaluationsTable
  reviewers: ReviewersTable
  reviews: ReviewsTable
  events: EventsTable
  outbox: OutboxTable
  decision_version: DecisionVersionTable
  decision_changes: DecisionChangesTable
  signing_counters: SigningCountersTable
  idempotency_keys: IdempotencyKeysTable
  certificates: CertificatesTable
  verification_counters: VerificationCountersTable
  verification_policies: VerificationPoliciesTable
  console_sign_outs: ConsoleSignOutsTable
  sip_trunks: SipTrunksTable
  hosted_number_orders: HostedNumberOrdersTable
  authorization_documents: AuthorizationDocumentsTable
  bulk_assignment_jobs: BulkAssignmentJobsTable
  leases: LeasesTable
  crls: CrlsTable
  call_records: CallRecordsTable
  approved_brands: ApprovedBrandsTable
  users: UsersTable
  user_sessions: UserSessionsTable
  user_tokens: UserTokensTable
  user_recovery_codes: UserRecoveryCodesTable
  account_security: AccountSecurityTable
  account_sso: AccountSsoTable
  mail_outbox: MailOutboxTable
}
