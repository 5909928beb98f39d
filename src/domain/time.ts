/** Injectable clock: domain code takes `now()` instead of calling Date.now(). */
export type Clock = () => Date

export const systemClock: Clock = () => new Date()

/** Wall-clock milliseconds without a Date, for stamps read per request (the HTTP `Date` field). */
export const epochMs = (): number => Date.now()

/** Stored form: ISO-8601 with millis, sortable as text on both engines. */
export function isoNow(clock: Clock = systemClock): string {
  return clock().toISOString()
}

/** Twilio v1 wire form: ISO-8601 UTC without millis (`2019-07-30T22:29:24Z`). */
export function toV1Date(iso: string | null): string | null {
  return iso === null ? null : iso.replace(/\.\d{3}Z$/, 'Z')
}

/** Twilio 2010 wire form: RFC 2822 (`Thu, 30 Jul 2015 20:00:00 +0000`). */
export function toRfc2822(iso: string | null): string | null {
  return iso === null ? null : new Date(iso).toUTCString().replace('GMT', '+0000')
}
