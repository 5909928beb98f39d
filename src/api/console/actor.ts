/** Who a customer request's audit events name: the person (`user:US… email`) for a console user, else the account. */
import type { FastifyRequest } from 'fastify'

export function actorOf(req: Pick<FastifyRequest, 'principal'>): string {
  const u = req.principal.user
  return u ? `user:${u.sid} ${u.email}` : `account:${req.principal.account.sid}`
}
