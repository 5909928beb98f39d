/**
 * Serves the production build of web/ at /console (and sends `/` there). Vite names assets
 * by content hash, so /console/assets/* may be cached for a year (immutable); index.html must
 * be revalidated every time so a new deploy is picked up. Any other /console/* path is a
 * client-side route and gets index.html (SPA fallback).
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import fastifyStatic from '@fastify/static'
import type { App } from '../app-types.js'
import { errors } from '../../domain/errors.js'

/** web/dist, found from this file whether run from src/ (tsx) or dist/src/ (tsc output). */
function webDistDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url))
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'web', 'dist')
    if (fs.existsSync(path.join(dir, 'web'))) return candidate
    dir = path.dirname(dir)
  }
  return path.resolve('web', 'dist')
}

const IMMUTABLE = 'public, max-age=31536000, immutable'
const REVALIDATE = 'no-cache'

export async function staticRoutes(app: App, root = webDistDir()) {
  // The build writes .br and .gz beside each asset (web/precompress.ts): sent as they are.
  await app.register(fastifyStatic, { root, serve: false, preCompressed: true })
  const index = path.join(root, 'index.html')

  const send = async (rel: string, reply: any) => {
    const file = path.resolve(root, rel)
    // Only files inside web/dist; anything else (including ../ tricks) falls back to the SPA.
    // A NUL names no file (and makes fs throw).
    const inside = file.startsWith(root + path.sep) && !rel.includes('\0')
    if (inside && rel !== '' && fs.statSync(file, { throwIfNoEntry: false })?.isFile()) {
      reply.header('cache-control', rel.startsWith('assets/') ? IMMUTABLE : REVALIDATE)
      return reply.sendFile(rel, root, { cacheControl: false })
    }
    if (rel.startsWith('assets/')) throw errors.notFound(`/console/${rel}`)
    if (!fs.existsSync(index)) {
      throw errors.notFound('/console (the console is not built: run `npm run build:web`)')
    }
    reply.header('cache-control', REVALIDATE)
    return reply.type('text/html; charset=utf-8').sendFile('index.html', root, { cacheControl: false })
  }

  const hide = { schema: { hide: true } }
  // A browser pointed at the server's bare address lands on the console.
  app.get('/', hide, async (_req, reply) => reply.redirect('/console', 302))
  app.get('/console', hide, async (_req, reply) => send('', reply))
  // The router has decoded the path once: decoding again would misread a `%` it produced (`/console/%25`).
  app.get('/console/*', hide, async (req, reply) => send((req.params as { '*': string })['*'] ?? '', reply))
}
