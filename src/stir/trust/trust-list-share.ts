/**
 * The trust list travels through the store, so machines share it as they share everything
 * else (DESIGN §8): whoever installs a list (the worker's pull, `stirhub trust-list import` or
 * `pull`) publishes the file's text; every verifying process looks at the published digest
 * on its trust tick and, when it differs from its own file, installs the text there (checked
 * again: signature, STI-PA chain, dates, and never older than the file it replaces). The
 * file stays what the verifier reads, so a process never waits on the store to verify.
 */
import fs from 'node:fs'
import { hash } from 'node:crypto'
import type { Executor } from '../../store/db.js'
import { getSetting, setSetting } from '../../store/accounts.repo.js'
import { appendEvent } from '../../store/events.repo.js'
import { installTrustList, type TrustList } from './trust-list.js'

const TEXT = 'trust_list'
const DIGEST = 'trust_list_digest'

const digestOf = (text: string) => hash('sha256', text, 'hex')

/**
 * Publishes the trust-list file at `file` (just installed as `list`) for the other machines,
 * with a `trust_list.published` event in the audit log naming `actor` (once per list).
 */
export async function publishTrustList(
  db: Executor,
  file: string,
  list: TrustList,
  actor: string,
  now: Date,
): Promise<void> {
  const text = fs.readFileSync(file, 'utf8')
  const digest = digestOf(text)
  await db.transaction().execute(async (trx) => {
    await setSetting(trx, TEXT, text)
    await setSetting(trx, DIGEST, digest)
    await appendEvent(
      trx,
      {
        accountSid: null,
        resourceSid: null,
        type: 'trust_list.published',
        actor,
        dedupeKey: `trust_list:${digest}`,
        data: {
          sequence: list.sequence ?? null,
          version: list.version ?? null,
          roots: list.roots.map((r) => r.subject.replace(/\n/g, ', ')),
          signer: list.signer,
          digest,
        },
      },
      now.toISOString(),
    )
  })
}

/**
 * Installs the published list into `file` when it differs from the file. `seen` is the digest
 * this process last acted on, so an unchanged store costs one small read. Returns the digest
 * now published, and the list installed or why the published one was refused (it must check
 * out and not be older than the file; the file is left alone then).
 */
export async function adoptPublishedTrustList(
  db: Executor,
  file: string,
  stiPaRoots: string,
  now: Date,
  seen?: string,
): Promise<{ readonly digest?: string; readonly list?: TrustList; readonly refused?: string }> {
  const digest = await getSetting(db, DIGEST)
  if (digest === undefined || digest === seen) return { digest }
  const current = fs.existsSync(file) ? digestOf(fs.readFileSync(file, 'utf8')) : undefined
  if (current === digest) return { digest }
  const text = await getSetting(db, TEXT)
  if (text === undefined) return { digest }
  try {
    return {
      digest,
      list: await installTrustList(text, file, stiPaRoots, now, async () => {
        throw new Error('a published list carries its signer')
      }),
    }
  } catch (e) {
    return { digest, refused: (e as Error).message }
  }
}
