/**
 * Builds the HTTP application: Twilio's Trust Hub v1 and 2010 resources, the admin API, ops
 * endpoints and OpenAPI. Each area is an encapsulated plugin with its own auth hook.
 */
import Fastify from 'fastify'
import formbody from '@fastify/formbody'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { AppContext } from '../runtime/context.js'
import type { AccountPrincipal } from './credentials.js'
import type { App, AreaPlugin } from './app-types.js'
import { twilioErrorBody, twilioErrorHandler } from './errors.js'
import { clientErrorHandler, expectationFailed, frameworkErrors } from './edge-errors.js'
import { refuseUnsafeNumbers, refuseUnstorableInput } from './input-guards.js'
import { trackRouteMethods } from './allowed-methods.js'
import { pathOf } from './scope.js'
import { idempotency } from './idempotency.js'
import { RequestLog } from './request-log.js'
import { accountHook, authFailureHooks, throttlesOf } from './throttle.js'
import { errors } from '../domain/errors.js'
import { opsRoutes } from './ops/ops.routes.js'
import { accountsRoutes } from './twilio2010/accounts.routes.js'
import { catalogRoutes } from './trusthub/catalog.routes.js'
import { endUsersRoutes } from './trusthub/end-users.routes.js'
import { bundlesRoutes } from './trusthub/bundles.routes.js'
import { registerConsole } from './console/console.plugin.js'
import { numbersRoutes } from './twilio2010/numbers.routes.js'
import { addressesRoutes } from './twilio2010/addresses.routes.js'
import { adminArea } from './admin/admin.plugin.js'
import { availableNumbersRoutes } from './twilio2010/available-numbers.routes.js'
import { stirArea } from './stir/stir.plugin.js'
import { stirFastRoutes } from './stir/stir.fast-lane.js'
import { installFastLane } from './stir/fast-lane/fast-lane.js'
import { certsRoutes } from './stir/certs.routes.js'
import { cnamRoutes } from './cnam/cnam.routes.js'
import { eventsRoutes } from './trusthub/events.routes.js'
import { authTokensRoutes } from './accounts/auth-tokens.routes.js'
import { hostedNumberOrdersRoutes } from './hosted-numbers/hosted-number-orders.routes.js'
import { authorizationDocumentsRoutes } from './hosted-numbers/authorization-documents.routes.js'
import { completeOpenApi } from './openapi.js'

/** Route plugins of the customer area (Basic auth); other issues append theirs here. */
const CUSTOMER_ROUTES: AreaPlugin[] = [
  accountsRoutes,
  catalogRoutes,
  endUsersRoutes,
  numbersRoutes,
  availableNumbersRoutes,
  addressesRoutes,
  bundlesRoutes,
  eventsRoutes,
  authTokensRoutes,
  hostedNumberOrdersRoutes,
  authorizationDocumentsRoutes,
]

export async function buildApp(ctx: AppContext): Promise<App> {
  const app = Fastify({
    loggerInstance: ctx.log,
    logController: new RequestLog(ctx.log),
    bodyLimit: ctx.config.bodyLimit,
    ajv: { customOptions: { coerceTypes: true, removeAdditional: false, allErrors: false } },
    // Twilio clients send `Page=0&PageSize=50`; ids in paths are validated by schema.
    routerOptions: { ignoreTrailingSlash: true },
    // Behind a load balancer, the client address (auth-failure limit, logs) comes from X-Forwarded-For.
    trustProxy: ctx.config.trustProxy.length ? [...ctx.config.trustProxy] : false,
    // Errors raised before routing or by Node's parser get the same bodies as any other.
    frameworkErrors,
    clientErrorHandler,
  }).withTypeProvider<TypeBoxTypeProvider>()
  app.server.on('checkExpectation', expectationFailed)
  const throttles = throttlesOf(ctx.config)
  const authFailures = authFailureHooks(throttles.authFailures)

  await app.register(formbody)
  app.setErrorHandler(twilioErrorHandler)
  if (authFailures.onRequest) app.addHook('onRequest', authFailures.onRequest)
  if (authFailures.preHandler) app.addHook('preHandler', authFailures.preHandler)
  trackRouteMethods(app)
  // Input no store keeps is refused here, once for every route (input-guards.ts).
  app.addHook('preValidation', refuseUnstorableInput)
  app.addHook('preHandler', refuseUnsafeNumbers)
  // Request rates, errors and durations for /metrics: plain map updates per response, in a
  // callback hook (no promise).
  const responded = ctx.metrics.responseCounter('http')
  const timed = ctx.metrics.durationRecorder('http')
  app.addHook('onResponse', (req, reply, done) => {
    responded(reply.statusCode)
    authFailures.failed(req, reply.statusCode)
    timed(req.routeOptions.url, reply.elapsedTime)
    done()
  })
  if (ctx.config.httpFastLane) {
    const lane = installFastLane(
      app.server,
      stirFastRoutes(ctx, { limit: throttles.stir, authFailures: throttles.authFailures, responded, timed }),
      {
        failed: (err) => ctx.log.error({ err }, 'fast lane request failed'),
        counted: ctx.metrics.laneCounter(),
      },
    )
    // Before Fastify closes the server: its own close waits for every connection, the lane's too.
    app.addHook('preClose', (done) => {
      lane.close()
      done()
    })
  }
  app.setNotFoundHandler((req, reply) => {
    const path = pathOf(req)
    const allow = app.methodsAt(path)
    if (allow.length > 0) reply.header('Allow', allow.join(', '))
    const e = allow.length > 0 ? errors.methodNotAllowed(req.method, path, allow) : errors.notFound(path)
    reply.status(e.status).send(twilioErrorBody(e))
  })
  app.decorateRequest('principal', null as unknown as AccountPrincipal)

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'stirhub',
        version: '0.1.0',
        description: 'Twilio-compatible Trust Hub v1, accounts and numbers, admin and STIR APIs',
      },
      servers: [{ url: ctx.config.publicUrl }],
      components: {
        securitySchemes: {
          basic: {
            type: 'http',
            scheme: 'basic',
            description: 'Account SID and auth token (or API key SID and secret)',
          },
          bearer: { type: 'http', scheme: 'bearer', description: 'Operator or reviewer token' },
        },
      },
    },
    // Responses and request media types, added to the generated document (never to the routes).
    transformObject: (d) => completeOpenApi(d as Parameters<typeof completeOpenApi>[0]),
  })
  await app.register(swaggerUi, { routePrefix: '/docs' })
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())

  // Before the API areas: its root hook lets a console session stand in for Authorization.
  await registerConsole(app, ctx, throttles.api)
  await app.register(async (ops) => opsRoutes(ops as App, ctx))
  await app.register(async (admin) => adminArea(admin as App, ctx))
  await app.register(async (stir) => stirArea(stir as App, ctx, throttles.stir), { prefix: '/stir' })
  // The STI-CR is public: verifiers everywhere fetch x5u without credentials.
  await app.register(async (sti) => certsRoutes(sti as App, ctx))
  // Operator token or account credentials: an area of its own (api/cnam/cnam.routes.ts).
  await app.register(async (cnam) => cnamRoutes(cnam as App, ctx, throttles.api))
  await app.register(async (customer) => {
    customer.addHook('onRequest', accountHook(ctx, throttles.api))
    idempotency(customer as App, ctx)
    for (const plugin of CUSTOMER_ROUTES) await plugin(customer as App, ctx)
  })
  return app
}
