/** A notification mail to one person, written in the transaction of what it reports; the worker sends it. */
export interface MailOutboxTable {
  id: string
  /** `<notice>:<resource>:<…>:<email>`: unique, so a notice reaches a person once. */
  dedupe_key: string
  to_address: string
  subject: string
  /** Plain text. */
  body: string
  /** pending | sent | failed (gave up). */
  status: string
  attempts: number
  next_attempt_at: string
  /** A worker sending it holds it until then. */
  locked_until: string | null
  last_error: string | null
  sent_at: string | null
  date_created: string
}
