/** Session bootstrap and routing: sign-in first, then the customer or reviewer area. */
import { useCallback, useEffect, useState } from 'react'
import { Center, Loader } from '@mantine/core'
import { api, ApiError, setCsrf, type SessionView } from './api'
import { navigate, usePath } from './router'
import { Layout } from './Layout'
import { SignIn } from './pages/SignIn'
import { Dashboard } from './pages/Dashboard'
import { DirectWizard } from './pages/DirectWizard'
import { IsvWizard } from './pages/IsvWizard'
import { Bundles } from './pages/Bundles'
import { Numbers } from './pages/Numbers'
import { Simulator } from './pages/Simulator'
import { Reviewer } from './pages/Reviewer'

export function App() {
  const [session, setSession] = useState<SessionView | null | undefined>(undefined)
  const path = usePath()

  useEffect(() => {
    api<SessionView>('GET', '/console/api/session')
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
    navigate(s.kind === 'admin' ? '/reviews' : '/')
  }, [])
  const signOut = useCallback(async () => {
    await api('DELETE', '/console/api/session')
    setCsrf('')
    setSession(null)
    navigate('/')
  }, [])

  if (session === undefined)
    return (
      <Center h="100vh">
        <Loader aria-label="Loading" />
      </Center>
    )
  if (session === null) return <SignIn onSignedIn={signedIn} />
  return (
    <Layout session={session} path={path} onSignOut={signOut}>
      {session.kind === 'admin' ? <Reviewer session={session} /> : page(path, session)}
    </Layout>
  )
}

function page(path: string, s: Extract<SessionView, { kind: 'account' }>) {
  if (path.startsWith('/onboarding/direct')) return <DirectWizard session={s} />
  if (path.startsWith('/onboarding/isv')) return <IsvWizard session={s} />
  if (path.startsWith('/bundles')) return <Bundles session={s} path={path} />
  if (path.startsWith('/numbers')) return <Numbers session={s} />
  if (path.startsWith('/simulator')) return <Simulator session={s} />
  return <Dashboard session={s} />
}
