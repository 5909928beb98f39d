/** Signing under load: a request for one caller number, and concurrent loops that record every call's level. */
import { http, type Creds } from './http.js'

/** A signing request from `from` to a fixed callee, asking for A. */
export const signingRequest = (from: string) => ({
  signingRequest: {
    attest: 'A',
    dest: { tn: ['+12125551212'] },
    iat: Math.floor(Date.now() / 1000),
    orig: { tn: from },
    origid: 'de305d54-75b4-431b-adb2-eb6b9e546014',
  },
})

interface Sample {
  readonly startedAt: number
  readonly level: string
}

/** Signs through `url` in `workers` concurrent loops until `stop()` says so, recording each call's start and level. */
export function signLoop(url: string, caller: Creds, from: string, workers: number) {
  const samples: Sample[] = []
  let running = true
  const loops = Array.from({ length: workers }, async () => {
    while (running) {
      const startedAt = performance.now()
      const r = await http(url, 'POST', '/stir/v1/signing', { auth: caller, json: signingRequest(from) })
      if (r.status !== 200) throw new Error(`signing failed ${r.status} ${JSON.stringify(r.body)}`)
      samples.push({ startedAt, level: r.headers.get('x-attestation') ?? 'none' })
    }
  })
  return {
    samples,
    stop: async () => {
      running = false
      await Promise.all(loops)
    },
  }
}
