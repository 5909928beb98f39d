/** The `stirhub` command line. */
import { Command } from 'commander'
import { ConfigError, describeSettings, loadConfig, SETTINGS } from '../config/config.js'
import { accountsCommand } from './accounts.command.js'
import { signCommand } from './sign.command.js'
import { verifyCommand } from './verify.command.js'
import { trustListCommand } from './trust-list.command.js'
import { attestationCommand } from './attestation.command.js'
import { certCommand } from './cert.command.js'
import { numbersCommand } from './numbers.command.js'
import { inventoryCommand } from './inventory.command.js'
import { demoCommand } from './demo.command.js'
import { reviewersCommand, reviewsCommand } from './reviews.command.js'
import { settingFlags } from './setting-flags.js'
import { trunksCommand } from './trunks.command.js'
import { tracebackCommand } from './traceback.command.js'
import { cnamCommand } from './cnam.command.js'
import { usersCommand } from './users.command.js'

/** Commander's camelCased option names back to config keys. */
export function flagsFrom(opts: Record<string, string | undefined>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {}
  for (const s of SETTINGS) {
    const camel = s.flag.replace(/^--/, '').replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())
    if (opts[camel] !== undefined) out[s.key] = opts[camel]
  }
  return out
}

/** Loads the config or exits with every problem listed (each names its variable). */
export function configOrExit(opts: Record<string, string | undefined>) {
  try {
    return loadConfig(process.env, flagsFrom(opts))
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`stirhub: ${e.message}\n`)
      process.exit(2)
    }
    throw e
  }
}

export function buildCli(): Command {
  const program = new Command('stirhub').description('SHAKEN/STIR trust platform').showHelpAfterError()
  // Every setting's flag, so `serve --port 4000` works like `PORT=4000`.
  settingFlags(program.command('serve').description('run the server (roles api, sip, worker)'))
    .addHelpText('after', `\nEvery setting can be given as an environment variable or a flag:\n${describeSettings()}\n`)
    .action(async (opts) => {
      const config = configOrExit(opts)
      // Loaded on use: the server pulls in the whole app, which other commands don't need.
      const { serveCommand } = await import('../runtime/serve.js')
      const running = await serveCommand(config)
      const stop = async () => {
        await running.stop()
        process.exit(0)
      }
      process.once('SIGINT', stop)
      process.once('SIGTERM', stop)
    })
  program.addCommand(accountsCommand())
  program.addCommand(signCommand(configOrExit))
  program.addCommand(verifyCommand(configOrExit))
  program.addCommand(trustListCommand(configOrExit))
  program.addCommand(attestationCommand(configOrExit))
  program.addCommand(certCommand(configOrExit))
  program.addCommand(numbersCommand())
  program.addCommand(inventoryCommand())
  program.addCommand(demoCommand())
  program.addCommand(reviewsCommand())
  program.addCommand(reviewersCommand())
  program.addCommand(trunksCommand())
  program.addCommand(tracebackCommand())
  program.addCommand(cnamCommand())
  program.addCommand(usersCommand())
  return program
}
