/**
 * 405 for a known path asked with a method it does not have (`PUT /v1/CustomerProfiles`),
 * with the `Allow` field RFC 9110 §15.5.6 requires; a path no route has stays 404. The router
 * answers both alike (no route for this method and path), so every route registered is kept
 * here too, as a pattern of its path, and the not-found handlers ask which methods a path has.
 */
import type { App } from './app-types.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** The methods routes answer at `path` (without its query string), sorted; empty for an unknown path. */
    methodsAt(path: string): readonly string[]
    /** Every route registered, as `METHOD /url/:pattern` (tests check an area's routes are all accounted for). */
    routeTable(): readonly string[]
  }
}

/** A route path as a pattern: `:name` (with an optional `(regex)`) is one segment, `*` the rest. */
function patternOf(url: string): RegExp {
  const parts = url.replace(/\/+$/, '').split(/(:[A-Za-z0-9_]+(?:\([^)]*\))?|\*)/)
  const body = parts
    .map((p) => (p === '*' ? '.*' : p.startsWith(':') ? '[^/]+' : p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')))
    .join('')
  // Routes match with or without a trailing slash (routerOptions.ignoreTrailingSlash).
  return new RegExp(`^${body}/?$`)
}

/** Collects every route registered after it (call on the root first) and decorates `methodsAt`. */
export function trackRouteMethods(app: App): void {
  const routes = new Map<string, { readonly pattern: RegExp; readonly methods: Set<string> }>()
  app.addHook('onRoute', (r) => {
    let entry = routes.get(r.url)
    if (!entry) routes.set(r.url, (entry = { pattern: patternOf(r.url), methods: new Set() }))
    for (const m of [r.method].flat()) entry.methods.add(m)
  })
  app.decorate('methodsAt', (path: string) => {
    const found = new Set<string>()
    for (const { pattern, methods } of routes.values()) if (pattern.test(path)) for (const m of methods) found.add(m)
    return [...found].sort()
  })
  app.decorate('routeTable', () =>
    [...routes].flatMap(([url, { methods }]) => [...methods].map((m) => `${m} ${url}`)).sort(),
  )
}
