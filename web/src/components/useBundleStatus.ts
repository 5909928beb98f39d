/** Live status of a bundle (profile or trust product), or undefined while unknown. */
import { useEffect, useState } from 'react'
import { api } from '../api'

export function useBundleStatus(kind: 'CustomerProfiles' | 'TrustProducts', sid: string | undefined, account?: string) {
  const [status, setStatus] = useState<string | undefined>()
  useEffect(() => {
    if (!sid) return
    api('GET', `/v1/${kind}/${sid}`, { account })
      .then((b) => setStatus(b.status))
      .catch(() => setStatus(undefined))
  }, [kind, sid, account])
  return status
}
