/** The staff area: reviewers and the operator (its own bundle, loaded only after a staff sign-in). */
import type { AdminSession } from '../api'
import { Reviewer } from '../pages/Reviewer'

export default function StaffArea({ session }: { session: AdminSession; path: string }) {
  return <Reviewer session={session} />
}
