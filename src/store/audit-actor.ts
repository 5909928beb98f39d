/**
 * The person behind a request, for the audit log. A console user's request runs inside
 * {@link asPerson} (the root session hook enters it), and every event written on its behalf
 * names them instead of what the code wrote: an account's user (`user:US… email`) instead of
 * the account (`account:AC…`, `customer`), an operator staff user (`operator:US… email`)
 * instead of `operator`. One place, so no route can forget. Requests with an API key, auth
 * token or staff token carry no person and keep the actor their code wrote; a reviewer's
 * events already name the reviewer.
 */
import { AsyncLocalStorage } from 'node:async_hooks'

const person = new AsyncLocalStorage<string>()

/** Runs `fn` (and everything it starts) as `actor` (`user:US… email`). */
export function asPerson<T>(actor: string, fn: () => T): T {
  return person.run(actor, fn)
}

/** The actor an event records: the person, when one is acting and `actor` names only their account or role. */
export function auditActor(actor: string): string {
  const who = person.getStore()
  if (who === undefined) return actor
  if (who.startsWith('operator:')) return actor === 'operator' ? who : actor
  return actor === 'customer' || actor.startsWith('account:') ? who : actor
}
