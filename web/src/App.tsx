/** Session bootstrap and routing: sign-in first, then the customer or reviewer area. */
import { lazy, Suspense, useCallback, useEffect, useState } from 'react'
import { Center, Loader } from '@mantine/core'
import { api, ApiError, setActingAccount, setCsrf, whenSignedOut, type SessionView } from './api'
import { navigate, usePath } from './router'
import { Layout } from './Layout'
import { SignIn } from './pages/SignIn'
import { AcceptInvitation, ResetPassword } from './pages/people/Links'

// One bundle per area: a customer downloads no reviewer or operator page, and the reverse.
const CustomerArea = lazy(() => import('./areas/customer'))
const StaffArea = lazy(() => import('./areas/staff'))

const loading = (
  <Center h="50vh">
    <Loader aria-label="Loading" />
  </Center>
)

export function App() {
  const [session, setSession] = useState<SessionView | null | undefined>(undefined)
  const path = usePath()

  useEffect(() => {
    api<SessionView>('GET', '/console/api/session', { account: '' })
      .then((s) => {
        setCsrf(s.csrf_token)
        setSession(s)
      })
      .catch((e) => {
        if (e instanceof ApiError) setSession(null)
        else throw e
      })
  }, [])

  const signedIn = useCallback((s: SessionView) => {
    setCsrf(s.csrf_token)
    setSession(s)
    navigate(s.user?.must_enrol_two_factor ? '/security' : s.kind === 'admin' ? '/reviews' : '/')
  }, [])
  const reread = useCallback(() => {
    api<SessionView>('GET', '/console/api/session', { account: '' }).then(setSession, () => setSession(null))
  }, [])
  const signOut = useCallback(async () => {
    await api('DELETE', '/console/api/session', { account: '' })
    setActingAccount(undefined)
    setCsrf('')
    setSession(null)
    navigate('/')
  }, [])

  useEffect(() => {
    // A session ended on the server shows the sign-in form at its next request.
    whenSignedOut(() => {
      setActingAccount(undefined)
      setCsrf('')
      setSession(null)
    })
    return () => whenSignedOut(undefined)
  }, [])

  if (session === undefined) return loading
  // An emailed link opens its page whoever is signed in here: the link's person is the one acting.
  if (path.startsWith('/accept-invitation')) return <AcceptInvitation onSignedIn={signedIn} />
  if (path.startsWith('/reset-password')) return <ResetPassword />
  if (session === null) return <SignIn onSignedIn={signedIn} />
  return (
    <Layout session={session} path={path} onSignOut={signOut}>
      <Suspense fallback={loading}>
        {session.kind === 'admin' ? (
          <StaffArea session={session} path={path} onChange={reread} />
        ) : (
          <CustomerArea session={session} path={path} onChange={reread} />
        )}
      </Suspense>
    </Layout>
  )
}
