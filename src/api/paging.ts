/**
 * Twilio's list envelopes. v1 (Trust Hub): `{<key>: [...], meta: {page, page_size,
 * first_page_url, previous_page_url, url, next_page_url, key}}`. 2010 API: the list under its
 * key with `first_page_uri, next_page_uri, page, page_size, previous_page_uri, start, end, uri`
 * at the top. next_page_* is non-null only when more rows exist: the SDK follows it verbatim.
 */
import { Type } from 'typebox'
import { decodeCursor, encodeCursor, type Page, type PageRequest } from '../store/paging.js'
import { errors } from '../domain/errors.js'

/** The highest page number: its offset at 1,000 rows a page is still a safe integer (2^53). */
export const MAX_PAGE = Math.floor(Number.MAX_SAFE_INTEGER / 1000)

/** Query-string schema shared by every list route. */
export const PagingQuery = {
  PageSize: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 1000, description: 'rows per page (1..1000, default 50)' }),
  ),
  // Page × PageSize is an SQL OFFSET: bounded so it stays an exact integer both engines take.
  Page: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_PAGE, description: '0-based page number' })),
  PageToken: Type.Optional(Type.String({ maxLength: 512, description: 'opaque token from next_page_url' })),
}

export interface PagingParams {
  PageSize?: number
  Page?: number
  PageToken?: string
}

export function pageRequest(q: PagingParams): PageRequest {
  const pageSize = q.PageSize ?? 50
  const page = q.Page ?? 0
  if (q.PageToken === undefined || q.PageToken === '') return { pageSize, page }
  const after = decodeCursor(q.PageToken)
  if (!after) throw errors.invalid('PageToken', 'not a page token issued by this server')
  return { pageSize, page, after }
}

type Filters = Record<string, string | number | boolean | undefined>

function query(filters: Filters, pageSize: number, page: number, token?: string): string {
  const p = new URLSearchParams()
  for (const [k, v] of Object.entries(filters)) if (v !== undefined && v !== '') p.set(k, String(v))
  p.set('PageSize', String(pageSize))
  p.set('Page', String(page))
  if (token) p.set('PageToken', token)
  return p.toString()
}

/** v1 envelope; `base` is the absolute URL of the list. */
export function v1Page<T>(
  key: string,
  base: string,
  filters: Filters,
  req: PageRequest,
  page: Page<T>,
  currentToken?: string,
) {
  const { pageSize, page: n } = req
  return {
    [key]: page.rows,
    meta: {
      page: n,
      page_size: pageSize,
      first_page_url: `${base}?${query(filters, pageSize, 0)}`,
      previous_page_url: n > 0 ? `${base}?${query(filters, pageSize, n - 1)}` : null,
      url: `${base}?${query(filters, pageSize, n, currentToken)}`,
      next_page_url: page.next ? `${base}?${query(filters, pageSize, n + 1, encodeCursor(page.next))}` : null,
      key,
    },
  }
}

/** 2010 API envelope; `path` is the list's path (URIs there are relative to the API host). */
export function legacyPage<T>(
  key: string,
  path: string,
  filters: Filters,
  req: PageRequest,
  page: Page<T>,
  currentToken?: string,
) {
  const { pageSize, page: n } = req
  const start = n * pageSize
  return {
    [key]: page.rows,
    first_page_uri: `${path}?${query(filters, pageSize, 0)}`,
    next_page_uri: page.next ? `${path}?${query(filters, pageSize, n + 1, encodeCursor(page.next))}` : null,
    previous_page_uri: n > 0 ? `${path}?${query(filters, pageSize, n - 1)}` : null,
    page: n,
    page_size: pageSize,
    start,
    end: start + Math.max(page.rows.length - 1, 0),
    uri: `${path}?${query(filters, pageSize, n, currentToken)}`,
  }
}
