/** The subset of the untyped npm `sip` package (kirm/sip.js 0.0.6) that `transport.ts` uses. */
declare module 'sip' {
  export interface RawSipMessage {
    method?: string
    uri?: string
    status?: number
    reason?: string
    version?: string
    headers: Record<string, any>
    content?: string
  }
  export function parse(data: Buffer | string): RawSipMessage | undefined
  export function stringify(m: RawSipMessage): string
  export function makeResponse(
    rq: RawSipMessage,
    status: number,
    reason?: string,
    extension?: { headers?: Record<string, unknown>; content?: string },
  ): RawSipMessage
  export function makeStreamParser(
    onMessage: (m: RawSipMessage | undefined) => void,
    onFlood?: () => void,
    maxBytesHeaders?: number,
    maxContentLength?: number,
  ): (data: string) => void
  export function parseUri(
    s: string,
  ): { schema: string; user?: string; host: string; port?: number; params: Record<string, string | null> } | undefined
}
