/**
 * /console/api/allowed: the allowed values of the business-information fields, so the wizard
 * can offer them as choices. They are public facts from Twilio's guides (no account data), and
 * come from the one catalogue in src/domain/policies.ts rather than a copy in the web app.
 */
import type { App } from '../app-types.js'
import { ALLOWED, POLICY } from '../../domain/policies.js'

export function allowedValuesRoutes(app: App) {
  app.get(
    '/console/api/allowed',
    { schema: { tags: ['console'], summary: 'Allowed field values and policy SIDs for the console' } },
    async (_req, reply) => {
      reply.header('cache-control', 'public, max-age=3600')
      return { allowed: ALLOWED, policies: POLICY }
    },
  )
}
