/** Branding facts pinned when a Branded Calls or CNAM trust product is approved. */

/**
 * What an approved branding trust product lets a call carry, frozen at approval: the display
 * name (RFC 9795 `nam`), the logo URL and the SHA-256 of the logo fetched and checked then
 * (`icn`, `rcdi`), the call reasons the business may use (`crn`), or the CNAM caller name. A
 * change after approval goes through a reviewed copy; the row is replaced at its approval.
 */
export interface ApprovedBrandsTable {
  /** The trust product (Branded Calls or CNAM policy). */
  bundle_sid: string
  account_sid: string
  /** branded_calls | cnam */
  kind: string
  /** Display name (Branded Calls) or caller name of at most 15 characters (CNAM). */
  display_name: string
  logo_url: string | null
  /** `sha256-` + base64 of the logo bytes as fetched at approval (RFC 9795 rcdi form). */
  logo_digest: string | null
  /** JSON array of approved call reasons (Branded Calls). */
  call_reasons: string
  approved_at: string
}
