/**
 * Unsent form fields in localStorage, keyed by account and form, so a reload keeps what was
 * typed. Nothing else lives in the browser: which step an account is at, and every SID, come
 * from the server. Only the keys of the form's initial value are kept.
 */
import { useEffect, useState } from 'react'

const key = (account: string, form: string) => `stirhub.draft.${form}.${account}`

function loadDraft<T extends object>(account: string, form: string, initial: T): T {
  try {
    const raw = JSON.parse(localStorage.getItem(key(account, form)) ?? '{}') as Record<string, unknown>
    const kept = Object.entries(raw).filter(([k, v]) => k in initial && typeof v === typeof (initial as any)[k])
    return { ...initial, ...Object.fromEntries(kept) }
  } catch {
    return initial
  }
}

export function clearDraft(account: string, form: string) {
  localStorage.removeItem(key(account, form))
}

/** Form state that is saved on every change; `initial` is what the server holds (or blanks). */
export function useDraft<T extends object>(account: string, form: string, initial: T): [T, (f: (t: T) => T) => void] {
  const [state, setState] = useState<T>(() => loadDraft(account, form, initial))
  useEffect(() => {
    localStorage.setItem(key(account, form), JSON.stringify(state))
  }, [account, form, state])
  return [state, (f) => setState((s) => f(s))]
}
