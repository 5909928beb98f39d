/**
 * The one way a process builds its STI-AS signing identity, shared by `serve` (boot.ts) and
 * the CLI commands that sign or manage certificates on the store directly.
 */
import type { Config } from '../config/config.js'
import type { Clock } from '../domain/time.js'
import type { Store } from '../store/db.js'
import type { Sealer } from '../security/secrets.js'
import { useNativeEs256 } from '../stir/passport/es256.js'
import { Signer } from '../stir/cert/signer.js'

/**
 * The signer over the store's certificates (not loaded yet: call `load()`), with the ES256
 * backend the config asks for (`STIRHUB_NATIVE_SIGNER`).
 */
export function buildSigner(config: Config, store: Pick<Store, 'db'>, sealer: Sealer, clock: Clock): Signer {
  useNativeEs256(config.nativeSigner)
  return new Signer({ db: store.db, sealer, publicUrl: config.publicUrl, clock })
}
