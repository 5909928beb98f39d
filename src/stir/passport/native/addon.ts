/**
 * Loads build/es256.node (es256.c; built by scripts/build-native.mjs, which also rebuilds it
 * for a new Node or OpenSSL before `npm start` and `npm test`). Loading can fail for ordinary
 * reasons (no compiler at install, another platform, an OpenSSL major version other than the
 * one it was built against); then `loadEs256Addon` says why and stirhub signs with node:crypto.
 */
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** The addon's surface (es256.c). A handle owns one EVP_PKEY and its signing context. */
export interface Es256Addon {
  create(pkcs8Der: Buffer): object
  /** base64url(r‖s) of ES256 over the latin1 bytes of `input`. */
  sign(handle: object, input: string): string
  versions(): { readonly built: string; readonly running: string }
}

export type AddonLoad =
  | { readonly addon: Es256Addon; readonly openssl: string }
  | { readonly addon: undefined; readonly problem: string }

/** build/es256.node under the repository root, found from this file (src/ under tsx, dist/src/ after tsc). */
export function addonPath(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url))
  for (let i = 0; i < 7 && !existsSync(path.join(dir, 'package.json')); i++) dir = path.dirname(dir)
  return path.join(dir, 'build', 'es256.node')
}

// "OpenSSL 3.0.19 27 Jan 2026" -> "3"
const major = (text: string) => /OpenSSL (\d+)\./.exec(text)?.[1]

export function loadEs256Addon(file = addonPath()): AddonLoad {
  if (!existsSync(file))
    return {
      addon: undefined,
      problem: `${file} is not built (scripts/build-native.mjs needs a C compiler and Node's headers)`,
    }
  try {
    const addon = createRequire(import.meta.url)(file) as Es256Addon
    const v = addon.versions()
    if (major(v.built) === undefined || major(v.built) !== major(v.running)) {
      return {
        addon: undefined,
        problem: `built against ${v.built}, running on ${v.running}: rebuild with \`node scripts/build-native.mjs --force\``,
      }
    }
    return { addon, openssl: v.running }
  } catch (e) {
    return { addon: undefined, problem: `${file} did not load: ${e instanceof Error ? e.message : String(e)}` }
  }
}
