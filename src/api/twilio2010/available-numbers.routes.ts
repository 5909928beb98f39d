/**
 * Twilio 2010 AvailablePhoneNumbers: the search over the operator's inventory that customers
 * buy from (DESIGN §2). US only: `US/Local.json` and `US/TollFree.json` list free numbers in
 * number order, filtered by `AreaCode` and `Contains` (digits, `*` for any one digit, letters
 * as on a phone keypad), at most `PageSize` (default 50) and not paged further, as on Twilio.
 */
import { Type } from 'typebox'
import type { App } from '../app-types.js'
import type { AppContext } from '../../runtime/context.js'
import { AVAILABLE, listInventory } from '../../store/inventory.repo.js'
import type { InventoryKind } from '../../domain/inventory-number.js'
import { presentAvailableNumber, presentUsCountry } from './available-number.presenter.js'
import { legacyPage } from '../paging.js'
import { params, sidParam } from '../params.js'
import { requireVisibleAccount } from '../scope.js'

const AccountParams = params({ AccountSid: sidParam('AC') })
const tags = ['numbers']
const security = [{ basic: [] }]

const SearchQuery = Type.Object({
  AreaCode: Type.Optional(Type.String({ pattern: '^[0-9]{3}$', description: 'the area code (NPA)' })),
  Contains: Type.Optional(
    Type.String({
      pattern: '^\\+?[0-9a-zA-Z*]{1,16}$',
      description: 'digits anywhere in the number; * matches any one digit; letters as on a keypad',
    }),
  ),
  PageSize: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 1000, description: 'most numbers to return (default 50)' }),
  ),
})

const KEYPAD: Readonly<Record<string, string>> = Object.fromEntries(
  ['abc', 'def', 'ghi', 'jkl', 'mno', 'pqrs', 'tuv', 'wxyz'].flatMap((letters, i) =>
    [...letters].map((l) => [l, String(i + 2)]),
  ),
)

/** A `Contains` pattern as digits and `*` (vanity letters mapped to their keypad digit). */
const keypadDigits = (s: string) => [...s.toLowerCase()].map((c) => KEYPAD[c] ?? c).join('')

export function availableNumbersRoutes(app: App, ctx: AppContext) {
  const base = '/2010-04-01/Accounts/:AccountSid/AvailablePhoneNumbers'
  app.get(
    `${base}.json`,
    { schema: { tags, security, summary: 'The countries numbers can be bought in (US)', params: AccountParams } },
    async (req) => {
      const acct = requireVisibleAccount(req, req.params.AccountSid)
      return { countries: [presentUsCountry(acct)], uri: `/2010-04-01/Accounts/${acct}/AvailablePhoneNumbers.json` }
    },
  )
  app.get(
    `${base}/US.json`,
    { schema: { tags, security, summary: 'The US numbers on sale', params: AccountParams } },
    async (req) => presentUsCountry(requireVisibleAccount(req, req.params.AccountSid)),
  )

  for (const [tail, kind] of [
    ['Local', 'local'],
    ['TollFree', 'toll-free'],
  ] as const satisfies ReadonlyArray<readonly [string, InventoryKind]>) {
    app.get(
      `${base}/US/${tail}.json`,
      {
        schema: {
          tags,
          security,
          summary: `Search the inventory's free ${kind} numbers`,
          params: AccountParams,
          querystring: SearchQuery,
        },
      },
      async (req) => {
        const acct = requireVisibleAccount(req, req.params.AccountSid)
        const q = req.query
        const req0 = { pageSize: q.PageSize ?? 50, page: 0 }
        const found = await listInventory(
          ctx.store.db,
          { kind, status: AVAILABLE, areaCode: q.AreaCode, contains: q.Contains && keypadDigits(q.Contains) },
          req0,
        )
        return legacyPage(
          'available_phone_numbers',
          `/2010-04-01/Accounts/${acct}/AvailablePhoneNumbers/US/${tail}.json`,
          { AreaCode: q.AreaCode, Contains: q.Contains },
          req0,
          { rows: found.rows.map(presentAvailableNumber) },
        )
      },
    )
  }
}
