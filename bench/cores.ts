/**
 * Raw node:crypto rates on every core at once (one worker thread per core), the "same cores"
 * baseline for the multi-process HTTP figures. Each thread signs or verifies with its own
 * P-256 key for a fixed time; the rates add up.
 */
import os from 'node:os'
import { Worker } from 'node:worker_threads'

const THREAD = `
const { parentPort, workerData } = require('node:worker_threads')
const { generateKeyPairSync, sign, verify } = require('node:crypto')
const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
const data = Buffer.alloc(280, 'a')
const sig = sign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' })
const op = workerData.op === 'verify'
  ? () => verify('sha256', data, { key: publicKey, dsaEncoding: 'ieee-p1363' }, sig)
  : () => sign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' })
for (let i = 0; i < 500; i++) op()
const end = performance.now() + workerData.ms
let n = 0
while (performance.now() < end) { for (let i = 0; i < 100; i++) op(); n += 100 }
parentPort.postMessage(n / (workerData.ms / 1000))
`

/** ES256 signs (or verifies) per second summed over `threads` threads (default: every core). */
export async function rawRateAllCores(op: 'sign' | 'verify', ms = 3000, threads = os.availableParallelism()): Promise<number> {
  const rates = await Promise.all(Array.from({ length: threads }, () => new Promise<number>((resolve, reject) => {
    const w = new Worker(THREAD, { eval: true, workerData: { op, ms } })
    w.once('message', (r: number) => { resolve(r); void w.terminate() })
    w.once('error', reject)
  })))
  return rates.reduce((a, b) => a + b, 0)
}
