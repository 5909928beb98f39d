/**
 * Flags of the config settings, taken from the one schema (config.ts): `serve` takes them all,
 * other commands the few they use, each with the setting's own description and variable.
 */
import type { Command } from 'commander'
import { SETTINGS, type Config } from '../config/config.js'

/** Adds the flags of `keys` (every setting when none are named). */
export function settingFlags(cmd: Command, ...keys: (keyof Config)[]): Command {
  for (const s of SETTINGS)
    if (keys.length === 0 || keys.includes(s.key)) cmd.option(`${s.flag} <value>`, `${s.description} [${s.env}]`)
  return cmd
}

/** The flags that locate the store and its secrets, as `serve` takes them. */
export const storeFlags = (cmd: Command): Command =>
  settingFlags(cmd, 'dataDir', 'databaseUrl', 'masterKey', 'publicUrl')
