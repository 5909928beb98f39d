/**
 * The SIP Identity header value (RFC 8224 §4.1) as SHAKEN sends it:
 * `<jws>;info=<x5u>;alg=ES256;ppt=shaken`. `info` must equal the PASSporT's `x5u`
 * (ATIS-1000074 §5.3.1); `alg` and `ppt` are sent although RFC 8224 makes them optional.
 */
import {
  signDivPassport,
  signPassport,
  type DivClaims,
  type PassportKey,
  type ShakenClaims,
  type ShakenInput,
} from './passport.js'
import type { TnOptions } from './tn.js'
import { isUriText } from '../../domain/uri.js'

/** The last x5u found to be URI characters: a signer uses one x5u until it rotates. */
let checkedX5u: string | undefined

/**
 * Builds the Identity header value for a signed PASSporT. Its parts are base64url and the x5u,
 * checked here to be URI characters, so the value is also a JSON string's content as it
 * stands (signing.routes.ts's signingAnswerJson relies on it).
 */
export function identityHeader(jws: string, x5u: string, ppt = 'shaken'): string {
  if (x5u !== checkedX5u) {
    if (!isUriText(x5u)) throw new Error(`the x5u ${JSON.stringify(x5u)} holds characters a URI cannot (RFC 3986)`)
    checkedX5u = x5u
  }
  return `${jws};info=<${x5u}>;alg=ES256;ppt=${ppt}`
}

/** Signs the claims and returns both the JWS and its Identity header value. */
export function signIdentity(
  signer: PassportKey,
  claims: ShakenClaims | ShakenInput,
  opts: TnOptions & { readonly now?: () => Date } = {},
): { readonly passport: string; readonly identity: string } {
  const passport = signPassport(signer, claims, opts)
  return { passport, identity: identityHeader(passport, signer.x5u) }
}

/** Signs div claims (RFC 8946) and returns the JWS and its `ppt=div` Identity header value. */
export function signDivIdentity(
  signer: PassportKey,
  claims: DivClaims,
): { readonly passport: string; readonly identity: string } {
  const passport = signDivPassport(signer, claims)
  return { passport, identity: identityHeader(passport, signer.x5u, 'div') }
}
