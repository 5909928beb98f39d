/**
 * What the numbers page and the dashboard's levels card know of an account's numbers: every
 * number (all pages of IncomingPhoneNumbers), and per number the level a call gets today, why,
 * and the bundles holding it (POST /stir/v1/attestation/batch, 1,000 numbers per request).
 */
import { useEffect, useState } from 'react'
import { api } from '../api'

export interface HeldNumber {
  readonly sid: string
  readonly phone_number: string
  readonly friendly_name?: string
  readonly right_to_use_origin?: string
}

/** A bundle holding a number, as the batch answers it. */
interface Holder {
  readonly sid: string
  readonly kind: 'customer-profile' | 'trust-product'
  readonly friendly_name: string
  readonly status: string
}

/** One number's explained decision (the batch's result). */
export interface NumberFact {
  readonly number: string
  readonly level?: 'A' | 'B' | 'C' | null
  readonly rule?: string
  readonly reasons?: string[]
  readonly missing_for_a?: string[]
  readonly missing_for_b?: string[]
  readonly assigned_to?: Holder[]
  readonly error?: string
}

const BATCH = 1000
const PAGE = 1000

/** Every number of the account (following the 2010 list's pages). */
async function loadAllNumbers(accountSid: string): Promise<HeldNumber[]> {
  const out: HeldNumber[] = []
  let page: any = await api('GET', `/2010-04-01/Accounts/${accountSid}/IncomingPhoneNumbers.json`, {
    query: { PageSize: String(PAGE) },
  })
  out.push(...(page.incoming_phone_numbers ?? []))
  while (page.next_page_uri) {
    page = await api('GET', page.next_page_uri)
    out.push(...(page.incoming_phone_numbers ?? []))
  }
  return out
}

/** The explained decision for each of `numbers`, by number. */
async function loadFacts(numbers: readonly string[]): Promise<Map<string, NumberFact>> {
  const out = new Map<string, NumberFact>()
  for (let i = 0; i < numbers.length; i += BATCH) {
    const r = await api<{ results: NumberFact[] }>('POST', '/stir/v1/attestation/batch', {
      json: { numbers: numbers.slice(i, i + BATCH) },
    })
    for (const f of r.results) out.set(f.number, f)
  }
  return out
}

/** The account's numbers and their facts, loaded again whenever `reload` changes. */
export function useNumberFacts(accountSid: string, reload = 0) {
  const [state, setState] = useState<{
    numbers?: HeldNumber[]
    facts: Map<string, NumberFact>
    error?: string
  }>({ facts: new Map() })
  useEffect(() => {
    let live = true
    loadAllNumbers(accountSid)
      .then(async (numbers) => {
        if (!live) return
        setState((s) => ({ ...s, numbers }))
        const facts = await loadFacts(numbers.map((n) => n.phone_number))
        if (live) setState({ numbers, facts })
      })
      .catch((e) => live && setState((s) => ({ ...s, numbers: s.numbers ?? [], error: (e as Error).message })))
    return () => {
      live = false
    }
  }, [accountSid, reload])
  return state
}
