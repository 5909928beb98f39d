import type { AccountsTable, ApiKeysTable, SettingsTable } from './tables/accounts.table.js'
import type { AddressesTable, PhoneNumbersTable } from './tables/numbers.table.js'
import type {
  BundlesTable, ChannelEndpointAssignmentsTable, EndUsersTable, EntityAssignmentsTable,
  EvaluationsTable, SupportingDocumentsTable,
} from './tables/bundles.table.js'

/** The whole schema as Kysely sees it; every query's types flow from here. */
export interface Database {
  accounts: AccountsTable
  api_keys: ApiKeysTable
  settings: SettingsTable
  phone_numbers: PhoneNumbersTable
  addresses: AddressesTable
  bundles: BundlesTable
  end_users: EndUsersTable
  supporting_documents: SupportingDocumentsTable
  entity_assignments: EntityAssignmentsTable
  channel_endpoint_assignments: ChannelEndpointAssignmentsTable
  evaluations: EvaluationsTable
}
