/**
 * Identity header values for fuzzing a running server's verifiers (the ATIS verification
 * route and the SIP verify front): PASSporTs signed by the server's own key (so cases reach
 * the certificate and signature checks), their header and claims mutated and signed again.
 *
 * The x5u is the one place a case could make the server fetch: a mutated PASSporT whose `x5u`
 * is kept only when it is the server's own (loopback) URL or a fixed loopback or unfetchable
 * one, so no case ever names a host beyond this machine.
 */
import type { KeyObject } from 'node:crypto'
import fc from 'fast-check'
import { mutateJson, mutatedFrom } from './fuzz.js'
import { forgeJws, identityOf, shakenClaims, shakenHeader } from './passport-forge.js'

export interface IdentityCases {
  /** One or more Identity header instances. */
  readonly identities: fc.Arbitrary<string[]>
  /** The calling and called numbers the valid cases name (canonical digits). */
  readonly orig: string
  readonly dest: string
}

/** The x5u values a case may carry: the server's own, loopback ones a guard refuses, non-URLs. */
function safeX5us(own: string): readonly string[] {
  return [
    own,
    own,
    own + '?x=1',
    'https://127.0.0.1:8443/certs/none.pem',
    'http://127.0.0.1:9/x.pem',
    'ftp://127.0.0.1/x',
    'not a url',
    '',
  ]
}

function withSafeX5u(h: unknown, x5us: readonly string[], pick: number): unknown {
  if (h === null || typeof h !== 'object' || Array.isArray(h)) return h
  const x5u = (h as { x5u?: unknown }).x5u
  if (typeof x5u !== 'string' || x5us.includes(x5u)) return h
  return { ...h, x5u: x5us[pick % x5us.length] }
}

/** Cases signed by `key` whose certificate the server serves at `x5u`; `iat` as now. */
export function identityCases(
  key: KeyObject,
  x5u: string,
  iat: () => number,
  orig = '12155550121',
  dest = '12025550143',
): IdentityCases {
  const x5us = safeX5us(x5u)
  const claims = (at: number) => shakenClaims(at, { orig: { tn: orig }, dest: { tn: [dest] } })
  const part = (base: unknown) =>
    fc.oneof({ weight: 1, arbitrary: fc.constant(base) }, { weight: 1, arbitrary: mutateJson(base, 2) })
  const signed = fc
    .tuple(
      fc.constant(null).map(() => iat()),
      fc.nat(),
    )
    .chain(([at, pick]) =>
      fc.tuple(part(shakenHeader(x5u)), part(claims(at))).map(([h, c]) => {
        const header = withSafeX5u(h, x5us, pick)
        const info = typeof (header as { x5u?: unknown })?.x5u === 'string' ? (header as { x5u: string }).x5u : x5u
        return identityOf(forgeJws(header ?? '', c ?? '', key), info)
      }),
    )
  const div = fc
    .constant(null)
    .map(() =>
      identityOf(
        forgeJws(
          { ...shakenHeader(x5u), ppt: 'div' },
          { dest: { tn: ['12025550199'] }, div: { tn: dest }, iat: iat(), orig: { tn: orig } },
          key,
        ),
        x5u,
        ';ppt=div',
      ),
    )
  // Text mutations of a header value: the x5u sits inside base64url, so only `info` changes and no longer matches it.
  const text = fc
    .constant(null)
    .map(() => identityOf(forgeJws(shakenHeader(x5u), claims(iat()), key), x5u))
    .chain((h) => mutatedFrom([h], 4))
  const identities = fc.oneof(
    { weight: 3, arbitrary: signed.map((h) => [h]) },
    { weight: 1, arbitrary: fc.tuple(signed, div).map(([a, b]) => [a, b]) },
    { weight: 2, arbitrary: text.map((h) => [h]) },
  )
  return { identities, orig, dest }
}
