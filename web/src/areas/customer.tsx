/** The customer area (its own bundle: a customer never loads the staff pages). */
import { lazy, useEffect, useState } from 'react'
import { createPortal } from 'react-dom'
import { setActingAccount, type AccountSession } from '../api'
import { ActingContext, type Acting } from '../acting'
import { navigate } from '../router'
import { AccountSwitcher } from '../components/AccountSwitcher'
import { Dashboard } from '../pages/Dashboard'
import { DirectWizard } from '../pages/DirectWizard'
import { IsvWizard } from '../pages/IsvWizard'
import { Customers } from '../pages/Customers'
import { Bundles } from '../pages/Bundles'
import { Numbers } from '../pages/Numbers'
import { Simulator } from '../pages/Simulator'
import { Branding } from '../pages/Branding'
import { Calls } from '../pages/Calls'
import { Security } from '../pages/people/Security'
import { Users } from '../pages/people/Users'

// Charts load when the page is opened.
const Analytics = lazy(() => import('../pages/Analytics'))

export default function CustomerArea({
  session,
  path,
  onChange,
}: {
  session: AccountSession
  path: string
  /** The session changed (two-factor turned on): read it again. */
  onChange: () => void
}) {
  const [sub, setSub] = useState<Acting['sub']>()
  const [slot, setSlot] = useState<HTMLElement | null>(null)
  useEffect(() => setSlot(document.getElementById('header-slot')), [])
  const acting: Acting = {
    sub,
    actAs: (next, then) => {
      setActingAccount(next?.sid)
      setSub(next)
      if (then) navigate(then)
    },
  }
  // Acting in a sub-account, the pages see that account as theirs (calls carry X-Stirhub-Account).
  const s: AccountSession = sub
    ? {
        ...session,
        account_sid: sub.sid,
        friendly_name: sub.friendly_name,
        parent_account_sid: session.account_sid,
        sub_account_count: 0,
      }
    : session
  const page = () => {
    if (path.startsWith('/onboarding/direct')) return <DirectWizard session={s} />
    if (path.startsWith('/onboarding/isv')) return <IsvWizard session={session} />
    if (path.startsWith('/customers')) return <Customers />
    if (path.startsWith('/bundles')) return <Bundles session={s} path={path} />
    if (path.startsWith('/branding')) return <Branding session={s} />
    if (path.startsWith('/numbers')) return <Numbers session={s} />
    if (path.startsWith('/simulator')) return <Simulator session={s} />
    if (path.startsWith('/analytics')) return <Analytics />
    if (path.startsWith('/calls')) return <Calls session={s} />
    if (path.startsWith('/users') && session.user) return <Users me={session.user.sid} />
    if (path.startsWith('/security') && session.user) return <Security user={session.user} onChange={onChange} />
    return <Dashboard session={s} />
  }
  return (
    <ActingContext.Provider value={acting}>
      {slot &&
        !session.parent_account_sid &&
        (session.sub_account_count > 0 || sub) &&
        createPortal(<AccountSwitcher session={session} />, slot)}
      <div key={sub?.sid ?? 'own'}>{page()}</div>
    </ActingContext.Provider>
  )
}
