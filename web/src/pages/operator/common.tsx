/** What the operator's pages share: paged lists of /admin/v1, confirmations that say the consequence, dates, refusals. */
import { useCallback, useEffect, useState, type ReactNode } from 'react'
import { Alert, Button, Card, Code, CopyButton, Group, Modal, Stack, Table, Text } from '@mantine/core'
import { api, ApiError } from '../../api'

/** A v1 list page of the admin API. */
interface V1Page<T> {
  readonly results: T[]
  readonly meta: { readonly page: number; readonly next_page_url: string | null }
}

/** A date the API wrote (ISO 8601), in the user's local time. */
export const localDate = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleDateString() : '—')

/** True when the API refused the signed-in staff member (a reviewer on an operator page). */
const isRefused = (e: unknown) => e instanceof ApiError && (e.status === 401 || e.status === 403)

/** Shown instead of an operator page to anyone else. */
export function NotAllowed({ what }: { what: string }) {
  return (
    <Alert color="yellow" title="Not allowed" role="alert">
      {what} is for the platform operator only. Sign in with the operator token to see it.
    </Alert>
  )
}

/**
 * One page at a time of an admin list: `filters` restart at the first page; Next follows
 * next_page_url's query (its token), Previous goes back through the queries already seen.
 */
export function usePagedList<T>(path: string, filters: Record<string, string | undefined>, pageSize = 25) {
  const [trail, setTrail] = useState<Record<string, string>[]>([])
  const [page, setPage] = useState<V1Page<T> | undefined>()
  const [error, setError] = useState<unknown>()
  const [tick, setTick] = useState(0)
  const first = JSON.stringify(filters)
  const current = trail[trail.length - 1]
  useEffect(() => setTrail([]), [first])
  useEffect(() => {
    const query: Record<string, string> = current ?? {
      PageSize: String(pageSize),
      ...(Object.fromEntries(Object.entries(filters).filter(([, v]) => v)) as Record<string, string>),
    }
    let live = true
    api<V1Page<T>>('GET', path, { query })
      .then((p) => {
        if (!live) return
        setPage(p)
        setError(undefined)
      })
      .catch((e) => live && setError(e))
    return () => {
      live = false
    }
  }, [path, first, JSON.stringify(current), tick])
  const next = page?.meta.next_page_url
  return {
    rows: page?.results,
    error,
    pageNumber: trail.length + 1,
    reload: useCallback(() => setTick((t) => t + 1), []),
    next: next ? () => setTrail((t) => [...t, Object.fromEntries(new URL(next).searchParams)]) : undefined,
    previous: trail.length > 0 ? () => setTrail((t) => t.slice(0, -1)) : undefined,
  }
}

/** Previous / Next under a list. */
export function Pager({
  pageNumber,
  next,
  previous,
}: {
  pageNumber: number
  next?: () => void
  previous?: () => void
}) {
  if (!next && !previous) return null
  return (
    <Group gap="xs" justify="flex-end">
      <Button size="xs" variant="default" disabled={!previous} onClick={previous}>
        Previous
      </Button>
      <Text size="sm">Page {pageNumber}</Text>
      <Button size="xs" variant="default" disabled={!next} onClick={next}>
        Next
      </Button>
    </Group>
  )
}

/** An action waiting for the operator's yes, with what it will do. */
export interface Pending {
  readonly title: string
  readonly consequence: ReactNode
  readonly confirm: string
  readonly danger?: boolean
  readonly run: () => Promise<void>
}

/** The foot of a dialog: its error if any, then Cancel and the dialog's own action (`children`). */
export function DialogActions({
  error,
  onCancel,
  children,
}: {
  error: string
  onCancel: () => void
  children: ReactNode
}) {
  return (
    <>
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      <Group justify="flex-end">
        <Button variant="default" onClick={onCancel}>
          Cancel
        </Button>
        {children}
      </Group>
    </>
  )
}

/** What the last action did, until dismissed. */
export function DoneNotice({ done, onDismiss }: { done: string; onDismiss: () => void }) {
  if (!done) return null
  return (
    <Alert color="green" role="status" withCloseButton closeButtonLabel="Dismiss" onClose={onDismiss}>
      {done}
    </Alert>
  )
}

/** The confirmation dialog: states the consequence, runs the action, shows its error if any. */
export function ConfirmDialog({ pending, onClose }: { pending: Pending | null; onClose: () => void }) {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState('')
  useEffect(() => setError(''), [pending])
  return (
    <Modal
      opened={pending !== null}
      onClose={onClose}
      title={pending?.title}
      centered
      closeButtonProps={{ 'aria-label': 'Close' }}
    >
      {pending && (
        <Stack>
          <Text size="sm">{pending.consequence}</Text>
          <DialogActions error={error} onCancel={onClose}>
            <Button
              color={pending.danger ? 'red' : undefined}
              loading={busy}
              onClick={async () => {
                setBusy(true)
                try {
                  await pending.run()
                  onClose()
                } catch (e) {
                  setError((e as Error).message)
                } finally {
                  setBusy(false)
                }
              }}
            >
              {pending.confirm}
            </Button>
          </DialogActions>
        </Stack>
      )}
    </Modal>
  )
}

/** A page of a list in a card: a table that scrolls sideways below `minWidth`, and `empty` when the page has no rows. */
export function ListTable(props: {
  label: string
  minWidth: number
  headers: readonly string[]
  rows: readonly unknown[] | null | undefined
  empty: string
  children: ReactNode
}) {
  return (
    <Card withBorder>
      <Table.ScrollContainer minWidth={props.minWidth}>
        <Table aria-label={props.label} verticalSpacing="xs">
          <Table.Thead>
            <Table.Tr>
              {props.headers.map((h) => (
                <Table.Th key={h}>{h}</Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>{props.children}</Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {props.rows?.length === 0 && <Text c="dimmed">{props.empty}</Text>}
    </Card>
  )
}

/** A list's load error: "not allowed" for a refusal, the API's message otherwise. */
export function LoadError({ error, what }: { error: unknown; what: string }) {
  if (!error) return null
  if (isRefused(error)) return <NotAllowed what={what} />
  return (
    <Alert color="red" role="alert">
      {(error as Error).message}
    </Alert>
  )
}

/** A secret in the one answer that carries it: copy it now, it is never shown again. */
export function TokenOnce(props: {
  title: string
  token: string
  who: string
  /** What to do if it is lost (default: rotate it). */
  lost?: string
  onDone: () => void
}) {
  return (
    <Alert color="yellow" title={props.title} role="alert" data-testid="token-once">
      <Stack gap="xs">
        <Text size="sm">
          Copy it now and give it to {props.who} over a secure channel: it is shown only this once and cannot be read
          again. {props.lost ?? 'If it is lost, rotate it.'}
        </Text>
        <Group gap="xs" wrap="nowrap">
          <Code style={{ overflowWrap: 'anywhere' }} data-testid="token">
            {props.token}
          </Code>
          <CopyButton value={props.token}>
            {({ copied, copy }) => (
              <Button size="compact-sm" variant="light" onClick={copy}>
                {copied ? 'Copied' : 'Copy'}
              </Button>
            )}
          </CopyButton>
        </Group>
        <Group>
          <Button size="xs" variant="default" onClick={props.onDone}>
            I have copied it
          </Button>
        </Group>
      </Stack>
    </Alert>
  )
}
