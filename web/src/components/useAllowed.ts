/** Allowed field values from the server's one catalogue (src/domain/policies.ts). */
import { useEffect, useState } from 'react'
import { api } from '../api'

export type Allowed = Record<string, readonly string[]>
let cache: Allowed | undefined

export function useAllowed(): Allowed | undefined {
  const [allowed, setAllowed] = useState(cache)
  useEffect(() => {
    if (cache) return
    api<{ allowed: Allowed }>('GET', '/console/api/allowed').then((r) => {
      cache = r.allowed
      setAllowed(r.allowed)
    })
  }, [])
  return allowed
}
