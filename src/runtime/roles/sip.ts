/**
 * The `sip` role: the SIP redirect fronts, signing on `SIP_SIGN_PORT` and verification on
 * `SIP_VERIFY_PORT` (UDP and TCP each), over the process's STI-AS and STI-VS; the signing
 * front signs for the account of the SIP trunk an INVITE arrives on.
 */
import { perSecond } from '../../api/throttle.js'
import { startSignFront } from '../../sip/sign-front.js'
import { trunkDirectoryOf } from '../../sip/trunk-directory.js'
import { startVerifyFront } from '../../sip/verify-front.js'
import { verifyPolicyOf } from '../../stir/vs/verify-policy.js'
import type { AppContext } from '../context.js'

/** Starts both fronts; the returned function stops them (verification first). */
export async function startSip(ctx: AppContext): Promise<() => Promise<void>> {
  const { config, stiAs, stiVs } = ctx
  const sign = await startSignFront({
    port: config.sipSignPort,
    host: config.host,
    trusted: config.sipTrusted,
    multiTenant: config.sipMultiTenant,
    service: stiAs.service,
    trunks: trunkDirectoryOf(ctx.store, ctx.version),
    log: ctx.log,
    responded: ctx.metrics.sipResponder('sign'),
    limit: perSecond(config.stirRateLimit),
  })
  const verify = await startVerifyFront({
    port: config.sipVerifyPort,
    host: config.host,
    trusted: config.sipTrusted,
    verifier: stiVs.verifier,
    log: ctx.log,
    policyOf: (sid) => verifyPolicyOf(ctx.store.db, config, sid),
    count: (account, reason, spc) => stiVs.counter.count(account, reason, spc),
    observe: stiVs.observe,
    responded: ctx.metrics.sipResponder('verify'),
  }).catch(async (e: unknown) => {
    await sign.close()
    throw e
  })
  return async () => {
    await verify.close()
    await sign.close()
  }
}
