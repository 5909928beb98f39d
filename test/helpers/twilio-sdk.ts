/** The official twilio SDK pointed at a test server (spec §9). */
import twilio from 'twilio'
import type { Creds } from './http.js'

/** Sends the SDK's requests for any *.twilio.com host to `base`. */
class LocalRequestClient extends twilio.RequestClient {
  constructor(private readonly base: string) {
    super()
  }
  override request<TData>(
    opts: Parameters<InstanceType<typeof twilio.RequestClient>['request']>[0] & { data?: TData },
  ) {
    opts.uri = String(opts.uri).replace(/^https:\/\/[a-z0-9.-]+\.twilio\.com/, this.base)
    return super.request<TData>(opts as any)
  }
}

export type Client = ReturnType<typeof twilio>

/** An SDK client of account `c` talking to the server at `base`. */
export const sdk = (base: string, c: Creds): Client =>
  twilio(c.sid, c.token, { httpClient: new LocalRequestClient(base) })
