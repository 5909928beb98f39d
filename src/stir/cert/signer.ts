/**
 * The STI-AS signing identity: the active STI certificate and its key, loaded from the store
 * once and kept in memory as a KeyObject (the hot path never touches the store or the
 * sealer). `ctx.signer` is one of these; it reads like a `PassportKey` (`key`, `x5u`) whose
 * values follow rotations.
 */
import { createPrivateKey, type KeyObject } from 'node:crypto'
import { AppError } from '../../domain/errors.js'
import { newSid } from '../../domain/ids.js'
import { isoNow, type Clock } from '../../domain/time.js'
import type { Sealer } from '../../security/secrets.js'
import type { Executor } from '../../store/db.js'
import { activateCertificate, activeCertificate, type CertificateRow } from '../../store/certificates.repo.js'
import { checkImport } from './import.js'
import { issueSpCert, loadOrCreateDevRoot } from './dev-ca.js'
import type { PassportKey } from '../passport/passport.js'

/** Sealer purpose of signing keys (HKDF info; separates them from other sealed secrets). */
const SIGNING_KEY_PURPOSE = 'signing-key'

/**
 * How long a retired certificate stays served at its x5u: PASSporTs are fresh for 60 s
 * (ATIS-1000074, RFC 8224 §6.2.2); the margin covers clock skew, calls in flight and other
 * processes that pick up the rotation on their next reload.
 */
export const RETIRED_GRACE_SECONDS = 300

/** How often a running signer looks for a rotation made elsewhere (see `startRefresh`). */
const REFRESH_MS = 30_000

/** The x5u of a certificate: where `GET /certs/:id.pem` serves its chain. */
export function x5uFor(publicUrl: string, id: string): string {
  return `${publicUrl}/certs/${id}.pem`
}

/** True while a certificate must still be served: active, or retired within the grace. */
export function isServable(row: Pick<CertificateRow, 'status' | 'retired_at'>, now: Date): boolean {
  if (row.status === 'active') return true
  return row.retired_at !== null && now.getTime() < Date.parse(row.retired_at) + RETIRED_GRACE_SECONDS * 1000
}

/** What the signer holds for the active certificate. */
export interface SigningCert extends PassportKey {
  readonly certId: string
  readonly spc: string | null
  readonly notAfter: string
}

export interface SignerDeps {
  readonly db: Executor
  readonly sealer: Sealer
  readonly publicUrl: string
  readonly clock: Clock
}

/** The process's signing identity (see the module comment). */
export class Signer implements PassportKey {
  #current: SigningCert | undefined
  readonly #deps: SignerDeps

  constructor(deps: SignerDeps) {
    this.#deps = deps
  }

  /** The active certificate; throws 503 (UNAVAILABLE) when none is loaded. */
  get current(): SigningCert {
    if (!this.#current)
      throw new AppError('UNAVAILABLE', 'No signing certificate: run `stirhub cert dev` or `stirhub cert import`')
    return this.#current
  }
  get loaded(): boolean {
    return this.#current !== undefined
  }
  get key(): KeyObject {
    return this.current.key
  }
  get x5u(): string {
    return this.current.x5u
  }
  get certId(): string {
    return this.current.certId
  }
  get spc(): string | null {
    return this.current.spc
  }

  /** (Re)loads the active certificate from the store; false when there is none. */
  async load(): Promise<boolean> {
    const row = await activeCertificate(this.#deps.db)
    this.#current = row ? this.#fromRow(row) : undefined
    return row !== undefined
  }

  /**
   * Imports a new chain and key (checked: key matches, chain in order, leaf passes the
   * profile), makes it active and retires the previous one, whose x5u stays served for
   * {@link RETIRED_GRACE_SECONDS}.
   */
  async rotate(
    chainPem: string,
    keyPem: string,
    opts: { readonly strict?: boolean; readonly actor?: string } = {},
  ): Promise<SigningCert> {
    const checked = checkImport(chainPem, keyPem, opts)
    const id = newSid('CR')
    await activateCertificate(
      this.#deps.db,
      {
        id,
        chainPem: checked.chainPem,
        keySealed: this.#deps.sealer.seal(checked.pkcs8, SIGNING_KEY_PURPOSE),
        spc: checked.spc,
        notBefore: checked.notBefore,
        notAfter: checked.notAfter,
      },
      isoNow(this.#deps.clock),
      opts.actor,
    )
    this.#current = {
      certId: id,
      x5u: x5uFor(this.#deps.publicUrl, id),
      key: checked.key,
      spc: checked.spc,
      notAfter: checked.notAfter,
    }
    return this.#current
  }

  /**
   * Follows rotations made by other processes (`stirhub cert import` beside a running server,
   * or another replica): every `intervalMs` the active id is read and, when it changed, the
   * certificate reloaded. The interval must stay well under {@link RETIRED_GRACE_SECONDS} so no
   * process signs with a certificate whose x5u is no longer served. The timer is unref'd;
   * errors (a closing store) are left to the next tick. Returns a stop function.
   */
  startRefresh(intervalMs = REFRESH_MS): () => void {
    let busy = false
    const t = setInterval(() => {
      if (busy) return
      busy = true
      activeCertificate(this.#deps.db)
        .then((row) => {
          if (row?.id !== this.#current?.certId) this.#current = row ? this.#fromRow(row) : undefined
        })
        .catch(() => undefined)
        .finally(() => {
          busy = false
        })
    }, intervalMs)
    t.unref()
    return () => clearInterval(t)
  }

  #fromRow(row: CertificateRow): SigningCert {
    const pkcs8 = this.#deps.sealer.open(row.key_sealed, SIGNING_KEY_PURPOSE)
    const key = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' })
    return { certId: row.id, x5u: x5uFor(this.#deps.publicUrl, row.id), key, spc: row.spc, notAfter: row.not_after }
  }
}

/**
 * Issues an SP certificate from the dev CA under `<dataDir>/dev-ca/` (creating the root on
 * first use) and makes it the signer's active certificate.
 */
export async function provisionDevCertificate(
  signer: Signer,
  o: { readonly dataDir: string; readonly publicUrl: string; readonly clock: Clock; readonly spc?: string },
): Promise<SigningCert> {
  const now = o.clock()
  const root = await loadOrCreateDevRoot(o.dataDir, now)
  const sp = await issueSpCert(root, { spc: o.spc ?? '1234', publicUrl: o.publicUrl, now })
  return signer.rotate(sp.certPem, sp.keyPem)
}
