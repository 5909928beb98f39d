/**
 * Mail stirhub sends (invitations, password resets): SMTP through nodemailer when
 * STIRHUB_SMTP_URL is set; without it nothing is sent and callers say so (an operator is
 * then shown the link once, to hand over). One transport per process, made on first use.
 */
import nodemailer, { type Transporter } from 'nodemailer'
import type { Config } from '../config/config.js'

interface Mail {
  readonly to: string
  readonly subject: string
  readonly text: string
}

export interface Mailer {
  /** False when no SMTP server is configured: {@link send} sends nothing. */
  readonly configured: boolean
  /** Sends one message; true once the SMTP server accepted it, false when none is configured. */
  send(m: Mail): Promise<boolean>
}

const transports = new Map<string, Transporter>()

export function mailerFor(config: Pick<Config, 'smtpUrl' | 'mailFrom'>): Mailer {
  const url = config.smtpUrl
  if (!url) return { configured: false, send: async () => false }
  return {
    configured: true,
    async send(m) {
      let t = transports.get(url)
      if (!t) {
        t = nodemailer.createTransport(url)
        transports.set(url, t)
      }
      await t.sendMail({ from: config.mailFrom, to: m.to, subject: m.subject, text: m.text })
      return true
    },
  }
}
