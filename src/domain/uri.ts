/**
 * RFC 3986 §2's characters (unreserved, reserved and `%`): the only ones a URI is written with.
 * A URL of these cannot end a SIP header's `<…>` early (RFC 8224 `info`), and JSON escapes none
 * of them, so an x5u made of them goes into an Identity header and a JSON string as it stands.
 */
const URI_CHARS = /^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]+$/

/** True when `s` is non-empty and written with URI characters only. */
export function isUriText(s: string): boolean {
  return URI_CHARS.test(s)
}
