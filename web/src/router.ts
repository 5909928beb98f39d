/** A tiny router over /console/* paths (history API), enough for a dozen pages. */
import { useEffect, useState } from 'react'

const BASE = '/console'

function currentPath(): string {
  const p = window.location.pathname
  return p.startsWith(BASE) ? p.slice(BASE.length) || '/' : '/'
}

export function navigate(to: string) {
  window.history.pushState(null, '', BASE + to)
  window.dispatchEvent(new PopStateEvent('popstate'))
}

export function usePath(): string {
  const [path, setPath] = useState(currentPath())
  useEffect(() => {
    const on = () => setPath(currentPath())
    window.addEventListener('popstate', on)
    return () => window.removeEventListener('popstate', on)
  }, [])
  return path
}
