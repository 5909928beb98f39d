/** Customer Profiles and Trust Products: both are bundles (BU…) bound to a policy. */
export interface BundlesTable {
  sid: string
  account_sid: string
  /** customer-profile | trust-product */
  kind: string
  policy_sid: string
  friendly_name: string
  email: string
  /** draft | pending-review | in-review | twilio-rejected | twilio-approved */
  status: string
  status_callback: string | null
  valid_until: string | null
  /** JSON array of {code} (rejection codes), or null. */
  errors: string | null
  /** Free-text reason of the last rejection, for the customer. */
  failure_reason: string | null
  submitted_at: string | null
  /** The bundle this one is a copy of (POST …/Copies), or null. */
  copied_from: string | null
  date_created: string
  date_updated: string
}

/** End users (IT…): business information and authorized representatives. */
export interface EndUsersTable {
  sid: string
  account_sid: string
  friendly_name: string
  type: string
  /** JSON object. */
  attributes: string
  date_created: string
  date_updated: string
}

/** Supporting documents (RD…), e.g. the customer_profile_address document. */
export interface SupportingDocumentsTable {
  sid: string
  account_sid: string
  friendly_name: string
  type: string
  mime_type: string | null
  status: string
  attributes: string
  date_created: string
  date_updated: string
}

/** EntityAssignments (BV…): an end user, document or supporting bundle attached to a bundle. */
export interface EntityAssignmentsTable {
  sid: string
  bundle_sid: string
  /** The bundle's account (the assignment is readable wherever the bundle is). */
  account_sid: string
  object_sid: string
  date_created: string
}

/** ChannelEndpointAssignments (RA…): a phone number attached to a bundle. */
export interface ChannelEndpointAssignmentsTable {
  sid: string
  bundle_sid: string
  account_sid: string
  channel_endpoint_type: string
  channel_endpoint_sid: string
  /**
   * Which family of bundle holds the number: "customer-profile" or the trust product's policy
   * SID. Unique with the number, so a number sits on at most one profile and one trust
   * product of each policy.
   */
  slot: string
  date_created: string
}

/** Evaluations (EL…): a bundle checked against its policy, with the results kept. */
export interface EvaluationsTable {
  sid: string
  bundle_sid: string
  account_sid: string
  policy_sid: string
  status: string
  /** JSON array of result items (Twilio's structure). */
  results: string
  date_created: string
}
