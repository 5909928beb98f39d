/**
 * A migrated store per dialect for the Trust Hub services' tests (no HTTP), with the objects a
 * bundle attaches built through the repos: accounts, a compliant profile's end users, address
 * and document, numbers; a draft profile holding them; the refusal a service throws.
 */
import assert from 'node:assert/strict'
import { loadConfig, type Config } from '../../src/config/config.js'
import { migrate, openStore, type Db, type Store } from '../../src/store/db.js'
import { createAccount, type AccountRow } from '../../src/store/accounts.repo.js'
import { insertEntity } from '../../src/store/entities.repo.js'
import { insertAddress } from '../../src/store/addresses.repo.js'
import { createSealer } from '../../src/security/secrets.js'
import { newSid } from '../../src/domain/ids.js'
import type { Clock } from '../../src/domain/time.js'
import { POLICY } from '../../src/domain/policies.js'
import { AppError } from '../../src/domain/errors.js'
import { createBundle } from '../../src/trusthub/bundles.js'
import { assignEntity } from '../../src/trusthub/assignments.js'
import { PG_URL, dropSchema, newSchemaName, type Dialect } from './dialects.js'

/** What the services take besides the store. */
export interface World {
  readonly store: Store
  readonly db: Db
  readonly env: { readonly clock: Clock; readonly config: Config }
  close(): Promise<void>
}

const clock: Clock = () => new Date()

/** Opens a fresh, migrated store on `dialect` (its own schema on PostgreSQL). */
export async function openWorld(dialect: Dialect): Promise<World> {
  const schema = dialect === 'postgres' ? newSchemaName() : undefined
  const store = await openStore(dialect === 'postgres' ? PG_URL : 'sqlite::memory:', { schema })
  await migrate(store)
  return {
    store,
    db: store.db,
    env: { clock, config: loadConfig({}) },
    close: async () => {
      await store.close()
      if (schema) await dropSchema(schema)
    },
  }
}

const sealer = createSealer('trusthub-test-master-key')

/** A new active account (a sub-account of `parent` when given). */
export async function addAccount(db: Db, parent: string | null = null): Promise<AccountRow> {
  return (await createAccount(db, sealer, 'Test account', parent, new Date().toISOString())).row
}

const now = () => new Date().toISOString()

/** An end user of `type` on `account`; its SID. */
export async function addEndUser(
  db: Db,
  account: string,
  type: string,
  attributes: Record<string, unknown>,
): Promise<string> {
  const sid = newSid('IT')
  await insertEntity(db, 'end_users', {
    sid,
    account_sid: account,
    friendly_name: type,
    type,
    attributes: JSON.stringify(attributes),
    date_created: now(),
    date_updated: now(),
  })
  return sid
}

/** A US address on `account` and the customer_profile_address document naming it; the document's SID. */
async function addAddressDocument(db: Db, account: string): Promise<string> {
  const ad = newSid('AD')
  await insertAddress(db, {
    sid: ad,
    account_sid: account,
    customer_name: 'Acme',
    friendly_name: null,
    street: '1 Main St',
    street_secondary: null,
    city: 'San Francisco',
    region: 'CA',
    postal_code: '94105',
    iso_country: 'US',
    emergency_enabled: 0,
    validated: 0,
    verified: 0,
    date_created: now(),
    date_updated: now(),
  })
  const sid = newSid('RD')
  await insertEntity(db, 'supporting_documents', {
    sid,
    account_sid: account,
    friendly_name: 'address',
    type: 'customer_profile_address',
    mime_type: null,
    status: 'draft',
    attributes: JSON.stringify({ address_sids: ad }),
    date_created: now(),
    date_updated: now(),
  })
  return sid
}

/** Business information that passes the evaluation. */
export const BUSINESS = (identity = 'direct_customer') => ({
  business_name: 'Acme Inc',
  business_identity: identity,
  business_type: 'Corporation',
  business_industry: 'TECHNOLOGY',
  business_registration_identifier: 'EIN',
  business_registration_number: '12-3456789',
  business_regions_of_operation: 'USA_AND_CANADA',
  website_url: 'https://acme.example.com',
})

/** Authorized representative #1 that passes the evaluation. */
const REPRESENTATIVE = {
  first_name: 'Jane',
  last_name: 'Doe',
  email: 'jane@acme.example.com',
  phone_number: '+14155238886',
  business_title: 'CEO',
  job_position: 'CEO',
}

/**
 * A draft primary profile of `account`, or of a new account (a sub-account of `parent` when given), holding business
 * information and, unless `complete` is false, representative #1 and an address document.
 */
export async function addProfile(
  w: World,
  { parent = null as string | null, complete = true, account = undefined as AccountRow | undefined } = {},
) {
  const acct = account ?? (await addAccount(w.db, parent))
  const profile = await createBundle(w.db, w.env, {
    accountSid: acct.sid,
    kind: 'customer-profile',
    policySid: POLICY.PRIMARY_PROFILE,
    friendlyName: 'Acme',
    email: 'ops@acme.example.com',
  })
  const info = await addEndUser(w.db, acct.sid, 'customer_profile_business_information', BUSINESS())
  const [rep, doc] = complete
    ? [
        await addEndUser(w.db, acct.sid, 'authorized_representative_1', REPRESENTATIVE),
        await addAddressDocument(w.db, acct.sid),
      ]
    : []
  for (const o of [info, rep, doc]) if (o) await assignEntity(w.db, w.env.clock, profile, o)
  return { acct, profile, info, rep, doc }
}

/** The error `p` rejects with (fails when it resolves). */
export async function refusal(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  )
  assert.ok(e instanceof AppError, `expected an AppError, got ${String(e)}`)
  return e
}
