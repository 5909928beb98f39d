/** Wizard drafts in localStorage, keyed by account, so a reload or a later visit resumes. */
import { useEffect, useState } from 'react'

const key = (account: string, wizard: string) => `stirhub.draft.${wizard}.${account}`

function loadDraft<T>(account: string, wizard: string, initial: T): T {
  try {
    const raw = localStorage.getItem(key(account, wizard))
    return raw ? { ...initial, ...JSON.parse(raw) } : initial
  } catch {
    return initial
  }
}

export function clearDraft(account: string, wizard: string) {
  localStorage.removeItem(key(account, wizard))
}

/** State that is saved on every change. */
export function useDraft<T>(account: string, wizard: string, initial: T): [T, (f: (t: T) => T) => void] {
  const [state, setState] = useState<T>(() => loadDraft(account, wizard, initial))
  useEffect(() => {
    localStorage.setItem(key(account, wizard), JSON.stringify(state))
  }, [account, wizard, state])
  return [state, (f) => setState((s) => f(s))]
}
