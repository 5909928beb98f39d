/**
 * Twilio 2010 Addresses. A customer_profile_address supporting document names addresses in
 * `address_sids`, so an address cannot be deleted while a document still points at it, nor
 * edited while such a document is attached to a bundle under review or approved.
 * `validated`/`verified` come from the built-in US check (src/domain/us-address.ts).
 */
import { Type } from 'typebox'
import type { App } from '../app-types.js'
import type { AppContext } from '../../runtime/context.js'
import { newSid } from '../../domain/ids.js'
import { isoNow } from '../../domain/time.js'
import { errors } from '../../domain/errors.js'
import { isValidUsAddress } from '../../domain/us-address.js'
import {
  deleteAddress,
  documentsReferencing,
  findAddress,
  insertAddress,
  listAddresses,
  updateAddress,
  type AddressPatch,
  type AddressRow,
} from '../../store/addresses.repo.js'
import { presentAddress } from './address.presenter.js'
import { childSids } from '../../store/accounts.repo.js'
import { requireAddressUnlocked } from '../../trusthub/locks.js'
import { legacyPage, pageRequest, PagingQuery } from '../paging.js'
import { params, reqStr, sidParam, str } from '../params.js'
import { pathOf, requireVisibleAccount } from '../scope.js'

const AccountParams = params({ AccountSid: sidParam('AC') })
const AddressParams = params({ AccountSid: sidParam('AC'), Sid: sidParam('AD') })
const tags = ['addresses']
const security = [{ basic: [] }]
const bool = (description: string) => Type.Optional(Type.Boolean({ description }))

const CreateBody = Type.Object({
  CustomerName: reqStr('Name of the customer or business at the address'),
  Street: reqStr('Number and street'),
  City: reqStr('City'),
  Region: reqStr('State or region (US: two-letter USPS code)', 64),
  PostalCode: reqStr('Postal code (US: 5-digit ZIP)', 32),
  IsoCountry: Type.String({ pattern: '^[A-Za-z]{2}$', description: 'ISO 3166-1 alpha-2 country code' }),
  FriendlyName: str('A descriptive name', 64),
  StreetSecondary: str('Apartment, suite, unit'),
  EmergencyEnabled: bool('Whether the address may be used for emergency calling'),
  AutoCorrectAddress: bool('Accepted for compatibility; addresses are stored as given'),
})

const UpdateBody = Type.Object({
  CustomerName: str('Name of the customer or business'),
  Street: str('Number and street'),
  City: str('City'),
  Region: str('State or region', 64),
  PostalCode: str('Postal code', 32),
  FriendlyName: str('A descriptive name', 64),
  StreetSecondary: str('Apartment, suite, unit'),
  EmergencyEnabled: bool('Whether the address may be used for emergency calling'),
  AutoCorrectAddress: bool('Accepted for compatibility'),
})

/** The validated/verified flags of an address as it stands. */
function checkFlags(a: Pick<AddressRow, 'iso_country' | 'region' | 'postal_code'>) {
  const ok = isValidUsAddress({ isoCountry: a.iso_country, region: a.region, postalCode: a.postal_code }) ? 1 : 0
  return { validated: ok, verified: ok }
}

/** Registers the Addresses collection and item routes. */
export function addressesRoutes(app: App, ctx: AppContext) {
  collectionRoutes(app, ctx)
  itemRoutes(app, ctx)
}

type UpdateFields = {
  CustomerName?: string
  Street?: string
  City?: string
  Region?: string
  PostalCode?: string
  FriendlyName?: string
  StreetSecondary?: string
  EmergencyEnabled?: boolean
}

/** The columns an update sets: empty optional fields clear, empty required ones are ignored. */
function patchFrom(b: UpdateFields): AddressPatch {
  return {
    ...(b.CustomerName ? { customer_name: b.CustomerName } : {}),
    ...(b.Street ? { street: b.Street } : {}),
    ...(b.City ? { city: b.City } : {}),
    ...(b.Region ? { region: b.Region } : {}),
    ...(b.PostalCode ? { postal_code: b.PostalCode } : {}),
    ...(b.FriendlyName !== undefined ? { friendly_name: b.FriendlyName || null } : {}),
    ...(b.StreetSecondary !== undefined ? { street_secondary: b.StreetSecondary || null } : {}),
    ...(b.EmergencyEnabled !== undefined ? { emergency_enabled: b.EmergencyEnabled ? 1 : 0 } : {}),
  }
}

function collectionRoutes(app: App, ctx: AppContext) {
  const db = ctx.store.db
  const path = '/2010-04-01/Accounts/:AccountSid/Addresses.json'
  app.post(
    path,
    { schema: { tags, security, summary: 'Create an address', params: AccountParams, body: CreateBody } },
    async (req, reply) => {
      const acct = requireVisibleAccount(req, req.params.AccountSid)
      const b = req.body
      const now = isoNow(ctx.clock)
      const base = {
        sid: newSid('AD'),
        account_sid: acct,
        customer_name: b.CustomerName,
        friendly_name: b.FriendlyName || null,
        street: b.Street,
        street_secondary: b.StreetSecondary || null,
        city: b.City,
        region: b.Region,
        postal_code: b.PostalCode,
        iso_country: b.IsoCountry.toUpperCase(),
        emergency_enabled: b.EmergencyEnabled ? 1 : 0,
        date_created: now,
        date_updated: now,
      }
      const row: AddressRow = { ...base, ...checkFlags(base) }
      await insertAddress(db, row)
      return reply.status(201).send(presentAddress(row))
    },
  )

  app.get(
    path,
    {
      schema: {
        tags,
        security,
        summary: "List the account's addresses",
        params: AccountParams,
        querystring: Type.Object({
          CustomerName: Type.Optional(Type.String({ maxLength: 255 })),
          FriendlyName: Type.Optional(Type.String({ maxLength: 64 })),
          IsoCountry: Type.Optional(Type.String({ maxLength: 2 })),
          ...PagingQuery,
        }),
      },
    },
    async (req) => {
      const acct = requireVisibleAccount(req, req.params.AccountSid)
      const q = req.query
      const page = pageRequest(q)
      const res = await listAddresses(
        db,
        acct,
        { customerName: q.CustomerName, friendlyName: q.FriendlyName, isoCountry: q.IsoCountry },
        page,
      )
      return legacyPage(
        'addresses',
        `/2010-04-01/Accounts/${acct}/Addresses.json`,
        { CustomerName: q.CustomerName, FriendlyName: q.FriendlyName, IsoCountry: q.IsoCountry },
        page,
        { rows: res.rows.map(presentAddress), next: res.next },
        q.PageToken,
      )
    },
  )
}

function itemRoutes(app: App, ctx: AppContext) {
  const db = ctx.store.db
  const path = '/2010-04-01/Accounts/:AccountSid/Addresses/:Sid.json'
  const load = async (req: any): Promise<AddressRow> => {
    const acct = requireVisibleAccount(req, req.params.AccountSid)
    const row = await findAddress(db, [acct], req.params.Sid)
    if (!row) throw errors.notFound(pathOf(req))
    return row
  }

  app.get(path, { schema: { tags, security, summary: 'Fetch an address', params: AddressParams } }, async (req) =>
    presentAddress(await load(req)),
  )

  app.post(
    path,
    {
      schema: {
        tags,
        security,
        summary: 'Update an address (IsoCountry is fixed, as in Twilio)',
        params: AddressParams,
        body: Type.Optional(UpdateBody),
      },
    },
    async (req) => {
      const row = await load(req)
      const patch = patchFrom(req.body ?? {})
      return presentAddress(
        await db.transaction().execute(async (trx) => {
          await requireAddressUnlocked(trx, row)
          await updateAddress(
            trx,
            row.account_sid,
            row.sid,
            { ...patch, ...checkFlags({ ...row, ...patch }) },
            isoNow(ctx.clock),
          )
          return (await findAddress(trx, [row.account_sid], row.sid))!
        }),
      )
    },
  )

  app.delete(
    path,
    {
      schema: {
        tags,
        security,
        summary: 'Delete an address (refused while a supporting document references it)',
        params: AddressParams,
      },
    },
    async (req, reply) => {
      const row = await load(req)
      await db.transaction().execute(async (trx) => {
        await requireAddressUnlocked(trx, row)
        // Documents of the address's account and of its sub-accounts may name it (src/trusthub/references.ts).
        const docs = await documentsReferencing(
          trx,
          [row.account_sid, ...(await childSids(trx, row.account_sid))],
          row.sid,
        )
        if (docs.length)
          throw errors.invalid(
            'Sid',
            `${row.sid} is referenced by supporting document ${docs.join(', ')}; remove it from their address_sids first`,
          )
        if (!(await deleteAddress(trx, row.account_sid, row.sid))) throw errors.notFound(pathOf(req))
      })
      return reply.status(204).send()
    },
  )
}
