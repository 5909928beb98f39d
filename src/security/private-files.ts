/**
 * Files only stirhub's own user may read: the data dir (0700) and what it keeps there — the
 * SQLite database with its -wal and -shm (hashes, sealed secrets, every customer's facts), the
 * master key, the dev CA's key and certificate (0600). Modes are given at creation, so no
 * other user can open a file in the moment before a chmod.
 */
import fs from 'node:fs'

const PRIVATE_DIR_MODE = 0o700
export const PRIVATE_FILE_MODE = 0o600

/** Creates `dir` (and missing parents) 0700; an existing folder is left as it is (it may be /tmp). */
export function makePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE })
}

/**
 * Creates `file` empty and 0600 unless it exists; an existing one that group or others may
 * read or write is narrowed to 0600 (a file made before modes were set, or by hand).
 */
export function makePrivateFile(file: string): void {
  try {
    fs.closeSync(fs.openSync(file, 'wx', PRIVATE_FILE_MODE))
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
    narrowIfExists(file)
  }
}

/** Narrows `file` to 0600 when it exists and group or others have any access to it. */
export function narrowIfExists(file: string): void {
  const st = fs.statSync(file, { throwIfNoEntry: false })
  if (st && (st.mode & 0o077) !== 0) fs.chmodSync(file, PRIVATE_FILE_MODE)
}
