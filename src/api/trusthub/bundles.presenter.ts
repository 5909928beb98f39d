/**
 * Wire shapes of bundles and their children (Trust Hub spec §3): snake_case, every field
 * present, absolute `url`/`links` under the public URL. One `BundleResource` describes the
 * differences between /v1/CustomerProfiles and /v1/TrustProducts (path, link names, child field).
 */
import type { BundleKind } from '../../domain/policies.js'
import { KIND_NAMES } from '../../domain/bundle.js'
import { toV1Date } from '../../domain/time.js'
import type { BundleRow, EvaluationRow } from '../../store/bundles.repo.js'
import type { ChannelEndpointAssignmentRow, EntityAssignmentRow } from '../../store/assignments.repo.js'
import type { BulkAssignmentJobRow } from '../../store/bulk-assignment-jobs.repo.js'

export interface BundleResource {
  readonly path: 'CustomerProfiles' | 'TrustProducts'
  readonly kind: BundleKind
  /** Name of the parent field on children: customer_profile_sid | trust_product_sid. */
  readonly child: 'customer_profile_sid' | 'trust_product_sid'
  /** Prefix of the link names: customer_profiles | trust_products. */
  readonly links: 'customer_profiles' | 'trust_products'
  /** What a person calls it, for messages. */
  readonly noun: string
}

export const BUNDLE_RESOURCES: readonly BundleResource[] = Object.freeze([
  {
    path: KIND_NAMES['customer-profile'].resource,
    kind: 'customer-profile',
    child: 'customer_profile_sid',
    links: 'customer_profiles',
    noun: KIND_NAMES['customer-profile'].noun,
  },
  {
    path: KIND_NAMES['trust-product'].resource,
    kind: 'trust-product',
    child: 'trust_product_sid',
    links: 'trust_products',
    noun: KIND_NAMES['trust-product'].noun,
  },
])

export const resourceOf = (kind: string): BundleResource =>
  BUNDLE_RESOURCES.find((r) => r.kind === kind) ?? BUNDLE_RESOURCES[0]!

/** Absolute URL of a bundle (`publicUrl` is the server's external base). */
const bundleUrl = (publicUrl: string, r: BundleResource, sid: string) => `${publicUrl}/v1/${r.path}/${sid}`

export function presentBundle(publicUrl: string, r: BundleResource, row: BundleRow) {
  const url = bundleUrl(publicUrl, r, row.sid)
  return {
    sid: row.sid,
    account_sid: row.account_sid,
    policy_sid: row.policy_sid,
    friendly_name: row.friendly_name,
    status: row.status,
    valid_until: toV1Date(row.valid_until),
    email: row.email,
    status_callback: row.status_callback,
    date_created: toV1Date(row.date_created),
    date_updated: toV1Date(row.date_updated),
    url,
    links: {
      [`${r.links}_entity_assignments`]: `${url}/EntityAssignments`,
      [`${r.links}_evaluations`]: `${url}/Evaluations`,
      [`${r.links}_channel_endpoint_assignment`]: `${url}/ChannelEndpointAssignments`,
    },
    errors: row.errors === null ? null : (JSON.parse(row.errors) as { code: number }[]),
  }
}

export function presentEntityAssignment(publicUrl: string, r: BundleResource, row: EntityAssignmentRow) {
  return {
    sid: row.sid,
    [r.child]: row.bundle_sid,
    account_sid: row.account_sid,
    object_sid: row.object_sid,
    date_created: toV1Date(row.date_created),
    url: `${bundleUrl(publicUrl, r, row.bundle_sid)}/EntityAssignments/${row.sid}`,
  }
}

export function presentChannelAssignment(publicUrl: string, r: BundleResource, row: ChannelEndpointAssignmentRow) {
  return {
    sid: row.sid,
    [r.child]: row.bundle_sid,
    account_sid: row.account_sid,
    channel_endpoint_type: row.channel_endpoint_type,
    channel_endpoint_sid: row.channel_endpoint_sid,
    date_created: toV1Date(row.date_created),
    url: `${bundleUrl(publicUrl, r, row.bundle_sid)}/ChannelEndpointAssignments/${row.sid}`,
  }
}

export function presentEvaluation(publicUrl: string, r: BundleResource, row: EvaluationRow) {
  return {
    sid: row.sid,
    account_sid: row.account_sid,
    policy_sid: row.policy_sid,
    [r.child]: row.bundle_sid,
    status: row.status,
    results: JSON.parse(row.results) as unknown[],
    date_created: toV1Date(row.date_created),
    url: `${bundleUrl(publicUrl, r, row.bundle_sid)}/Evaluations/${row.sid}`,
  }
}

/** A bulk assignment job: its progress and every refused line with the reason. */
export function presentBulkAssignment(publicUrl: string, r: BundleResource, row: BulkAssignmentJobRow) {
  return {
    sid: row.sid,
    [r.child]: row.bundle_sid,
    account_sid: row.account_sid,
    status: row.status,
    total: row.total,
    done: row.done,
    assigned: row.assigned,
    already_assigned: row.already_assigned,
    refused: JSON.parse(row.refused) as { line: number; value: string; reason: string }[],
    date_created: toV1Date(row.date_created),
    date_updated: toV1Date(row.date_updated),
    url: `${bundleUrl(publicUrl, r, row.bundle_sid)}/ChannelEndpointAssignments/Bulk/${row.sid}`,
  }
}
