/**
 * Which account the customer pages act in: the signed-in one, or one of its sub-accounts
 * chosen in the header's switcher (every API call then carries X-Stirhub-Account).
 */
import { createContext, useContext } from 'react'

export interface Acting {
  /** The sub-account acted in, or undefined for the signed-in account. */
  readonly sub?: { readonly sid: string; readonly friendly_name: string }
  /** Switches, then opens `then` (a console path) when given. */
  readonly actAs: (sub: { sid: string; friendly_name: string } | undefined, then?: string) => void
}

export const ActingContext = createContext<Acting>({ actAs: () => undefined })

export const useActing = () => useContext(ActingContext)
