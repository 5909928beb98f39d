/** The staff area: reviewers and the operator (its own bundle, loaded only after a staff sign-in). */
import { lazy, type ComponentType } from 'react'
import { Security } from '../pages/people/Security'
import type { AdminSession } from '../api'
import { Reviewer } from '../pages/Reviewer'
import { NotAllowed } from '../pages/operator/common'
import { Accounts } from '../pages/operator/Accounts'
import { Inventory } from '../pages/operator/Inventory'
import { Trunks } from '../pages/operator/Trunks'
import { Reviewers } from '../pages/operator/Reviewers'
import { PlatformPage } from '../pages/operator/PlatformPage'

// Charts load when the page is opened.
const Analytics = lazy(() => import('../pages/operator/Analytics'))
// Traceback is opened now and then: its code loads on first visit.
const Traceback = lazy(() => import('../pages/operator/Traceback').then((m) => ({ default: m.Traceback })))

/** The operator's pages (a reviewer who opens one is told it is not for them). */
const OPERATOR_PAGES: ReadonlyArray<readonly [string, string, ComponentType]> = [
  ['/operator/accounts', 'The accounts page', Accounts],
  ['/operator/inventory', 'The number inventory', Inventory],
  ['/operator/trunks', 'The SIP trunks page', Trunks],
  ['/operator/analytics', 'The inbound calls page', Analytics],
  ['/operator/reviewers', 'The reviewers page', Reviewers],
  ['/operator/platform', 'The platform panel', PlatformPage],
  ['/operator/traceback', 'Traceback', Traceback],
]

export default function StaffArea({
  session,
  path,
  onChange,
}: {
  session: AdminSession
  path: string
  onChange: () => void
}) {
  if (path.startsWith('/security') && session.user) return <Security user={session.user} onChange={onChange} />
  const page = OPERATOR_PAGES.find(([p]) => path.startsWith(p))
  if (page) {
    const [, what, Page] = page
    return session.role === 'operator' ? <Page /> : <NotAllowed what={what} />
  }
  return <Reviewer session={session} />
}
