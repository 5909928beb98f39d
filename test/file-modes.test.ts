/**
 * What stirhub writes to disk is its own user's alone: a data dir it creates is 0700, and the
 * SQLite database (with -wal and -shm), the generated master key and the dev CA's files are
 * 0600, whatever the umask lets other users read. STIRHUB_SQLITE_SYNC picks SQLite's
 * durability.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { DIALECTS } from './helpers/dialects.js'
import { startServer, type TestServer } from './helpers/server.js'
import { newAccount } from './helpers/http.js'
import { openStore } from '../src/store/db.js'

const modeOf = (p: string) => fs.statSync(p).mode & 0o777

for (const dialect of DIALECTS) {
  describe(`file modes [${dialect}]`, () => {
    let s: TestServer
    let umask: number
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'stirhub-modes-'))
    const dataDir = path.join(root, 'nested', 'data')
    before(async () => {
      // The usual umask: without explicit modes, files would be 0644 and folders 0755.
      umask = process.umask(0o022)
      s = await startServer(dialect, {
        env: {
          STIRHUB_DATA_DIR: dataDir,
          STIRHUB_MASTER_KEY: '',
          ...(dialect === 'sqlite' ? { DATABASE_URL: `sqlite:${path.join(dataDir, 'stirhub.db')}` } : {}),
        },
      })
      // A write, so the WAL and its index exist.
      await newAccount(s.url)
    })
    after(async () => {
      await s?.stop()
      process.umask(umask)
      fs.rmSync(root, { recursive: true, force: true })
    })

    it('creates the data dir 0700 and its files 0600', () => {
      assert.equal(modeOf(dataDir).toString(8), '700')
      const files = ['master.key', 'dev-ca/root.key', 'dev-ca/root.pem']
      assert.equal(modeOf(path.join(dataDir, 'dev-ca')).toString(8), '700')
      if (dialect === 'sqlite') files.push('stirhub.db', 'stirhub.db-wal', 'stirhub.db-shm')
      for (const f of files) assert.equal(modeOf(path.join(dataDir, f)).toString(8), '600', f)
      // Nothing else in the data dir is left readable by others.
      for (const f of fs.readdirSync(dataDir, { recursive: true }) as string[]) {
        assert.equal(modeOf(path.join(dataDir, f)) & 0o077, 0, f)
      }
    })
  })
}

describe('the SQLite file', () => {
  it('narrows a database file others may read to 0600, and syncs as STIRHUB_SQLITE_SYNC says', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stirhub-sync-'))
    try {
      const file = path.join(dir, 'old.db')
      fs.writeFileSync(file, '', { mode: 0o644 })
      fs.chmodSync(file, 0o644)
      const normal = await openStore(`sqlite:${file}`)
      assert.equal(modeOf(file).toString(8), '600')
      assert.equal(normal.sqlite!.pragma('synchronous', { simple: true }), 1, 'NORMAL by default')
      await normal.close()
      const full = await openStore(`sqlite:${file}`, { sqliteSync: 'full' })
      assert.equal(full.sqlite!.pragma('synchronous', { simple: true }), 2, 'FULL')
      await full.close()
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})
