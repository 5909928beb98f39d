/** Just enough RFC 6265 for two cookies: parse the Cookie header, build Set-Cookie values. */

/** Parses `a=1; b=2` (values are base64url/sealed strings, so no decoding is needed). */
export function parseCookies(header: string | undefined): Readonly<Record<string, string>> {
  const out: Record<string, string> = {}
  if (!header) return out
  for (const part of header.split(';')) {
    const i = part.indexOf('=')
    if (i <= 0) continue
    const name = part.slice(0, i).trim()
    if (!(name in out)) out[name] = part.slice(i + 1).trim()
  }
  return out
}

export interface CookieOptions {
  readonly httpOnly: boolean
  readonly secure: boolean
  /** Seconds; 0 deletes the cookie. */
  readonly maxAge: number
  /** Lax only for single sign-on's flow cookie: the provider's redirect back is a cross-site navigation. */
  readonly lax?: boolean
}

/** SameSite=Strict unless `lax`: the console is same-origin, so no other cross-site request needs it. */
export function setCookie(name: string, value: string, o: CookieOptions): string {
  return [
    `${name}=${value}`,
    'Path=/',
    `Max-Age=${o.maxAge}`,
    o.lax ? 'SameSite=Lax' : 'SameSite=Strict',
    ...(o.httpOnly ? ['HttpOnly'] : []),
    ...(o.secure ? ['Secure'] : []),
  ].join('; ')
}
