/**
 * The types every API area and route file is written against, apart from `app.ts` (which
 * builds the app and imports those files), so imports point one way.
 */
import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { AppContext } from '../runtime/context.js'
import type { AccountPrincipal, ConsoleUser } from './credentials.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the customer-area auth hook. */
    principal: AccountPrincipal
    /** The person, when a console user session made the request (root hook, console/session-auth.ts). */
    consoleUser: ConsoleUser | null
  }
}

/** The HTTP application, with TypeBox schemas typing each route. */
export type App = FastifyInstance<any, any, any, any, TypeBoxTypeProvider>

/** A route plugin of an area: registered inside the area, under its auth hook. */
export type AreaPlugin = (app: App, ctx: AppContext) => void | Promise<void>
