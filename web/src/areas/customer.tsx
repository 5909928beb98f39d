/** The customer area (its own bundle: a customer never loads the staff pages). */
import type { AccountSession } from '../api'
import { Dashboard } from '../pages/Dashboard'
import { DirectWizard } from '../pages/DirectWizard'
import { IsvWizard } from '../pages/IsvWizard'
import { Bundles } from '../pages/Bundles'
import { Numbers } from '../pages/Numbers'
import { Simulator } from '../pages/Simulator'

export default function CustomerArea({ session: s, path }: { session: AccountSession; path: string }) {
  if (path.startsWith('/onboarding/direct')) return <DirectWizard session={s} />
  if (path.startsWith('/onboarding/isv')) return <IsvWizard session={s} />
  if (path.startsWith('/bundles')) return <Bundles session={s} path={path} />
  if (path.startsWith('/numbers')) return <Numbers session={s} />
  if (path.startsWith('/simulator')) return <Simulator session={s} />
  return <Dashboard session={s} />
}
