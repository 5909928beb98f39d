/**
 * Raw node:crypto rates: on every core at once (one worker thread per core), the "same cores"
 * baseline for the multi-process HTTP figures, and on given CPUs alone (a process confined with
 * taskset), the baseline for a server confined to them. Each thread signs or verifies with its
 * own P-256 key for a fixed time; the rates add up.
 */
import { execFile } from 'node:child_process'
import os from 'node:os'
import { promisify } from 'node:util'
import { Worker } from 'node:worker_threads'
import { onCpus } from './serve.js'

// Runs as a worker thread (reports to its parent) or as a process (prints its rate).
const LOOP = `
const { parentPort, workerData } = require('node:worker_threads')
const { generateKeyPairSync, sign, verify } = require('node:crypto')
const { op: which, ms } = workerData ?? JSON.parse(process.argv[1])
const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
const data = Buffer.alloc(280, 'a')
const sig = sign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' })
const op = which === 'verify'
  ? () => verify('sha256', data, { key: publicKey, dsaEncoding: 'ieee-p1363' }, sig)
  : () => sign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' })
for (let i = 0; i < 500; i++) op()
const end = performance.now() + ms
let n = 0
while (performance.now() < end) { for (let i = 0; i < 100; i++) op(); n += 100 }
const rate = n / (ms / 1000)
if (parentPort) parentPort.postMessage(rate)
else process.stdout.write(String(rate))
`

type Op = 'sign' | 'verify'

/** ES256 signs (or verifies) per second summed over `threads` threads (default: every core). */
export async function rawRateAllCores(op: Op, ms = 3000, threads = os.availableParallelism()): Promise<number> {
  const rates = await Promise.all(
    Array.from(
      { length: threads },
      () =>
        new Promise<number>((resolve, reject) => {
          const w = new Worker(LOOP, { eval: true, workerData: { op, ms } })
          w.once('message', (r: number) => {
            resolve(r)
            void w.terminate()
          })
          w.once('error', reject)
        }),
    ),
  )
  return rates.reduce((a, b) => a + b, 0)
}

/** ES256 signs (or verifies) per second of one thread in a process confined to the CPUs `cpus` (taskset). */
export async function rawRateOnCpus(op: Op, cpus: string, ms = 3000): Promise<number> {
  const { stdout } = await promisify(execFile)(
    ...onCpus(cpus, [process.execPath, '-e', LOOP, JSON.stringify({ op, ms })]),
    { encoding: 'utf8' },
  )
  return Number(stdout)
}
