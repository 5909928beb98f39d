/**
 * What a Branded Calls logo (RFC 9795 `icn`) must be, judged from its bytes: PNG, JPEG or SVG
 * by magic bytes (and a content type that agrees), its dimensions read from the image itself
 * (PNG IHDR, JPEG SOFn, SVG width/height or viewBox), square-ish and at least 64 px, and an
 * SVG free of scripts, event handlers and external references (a phone renders it unattended).
 * The digest pinned at approval is the RFC 9795 `rcdi` form. Pure: the bytes are fetched by
 * src/vetting/logo-fetch.ts through the guarded fetcher.
 */
import { createHash } from 'node:crypto'

/** Largest logo accepted, bytes (a 256×256 PNG is a few tens of KiB). */
export const LOGO_MAX_BYTES = 1024 * 1024
/** Smallest side, pixels. */
const LOGO_MIN_PX = 64
/** Widest aspect ratio accepted (long side / short side). */
const LOGO_MAX_RATIO = 1.25

type LogoType = 'png' | 'jpeg' | 'svg'

/** What the bytes of a logo are, and what is wrong with them (empty `problems`: acceptable). */
export interface LogoInspection {
  readonly type: LogoType | null
  readonly width: number | null
  readonly height: number | null
  readonly bytes: number
  /** `sha256-` + base64 of the bytes (RFC 9795 §6 integrity form). */
  readonly digest: string
  readonly problems: readonly string[]
}

/** The RFC 9795 `rcdi` digest of a resource: `sha256-` + base64 of its SHA-256. */
export const rcdiDigest = (bytes: Uint8Array): string => `sha256-${createHash('sha256').update(bytes).digest('base64')}`

const CONTENT_TYPES: Readonly<Record<LogoType, readonly string[]>> = {
  png: ['image/png'],
  jpeg: ['image/jpeg', 'image/jpg'],
  svg: ['image/svg+xml'],
}

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

/** The type the magic bytes say, or null. SVG is XML text whose root element is `<svg`. */
function sniff(b: Buffer): LogoType | null {
  if (b.length >= 24 && b.subarray(0, 8).equals(PNG_MAGIC)) return 'png'
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg'
  const head = b
    .subarray(0, 4096)
    .toString('utf8')
    .replace(/^\ufeff/, '')
  if (/^\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<!DOCTYPE svg[^>]*>\s*)?<svg[\s>]/i.test(head)) return 'svg'
  return null
}

/** PNG: width and height are the first fields of the IHDR chunk (PNG spec §11.2.2). */
function pngSize(b: Buffer): [number, number] | null {
  return b.subarray(12, 16).toString('latin1') === 'IHDR' ? [b.readUInt32BE(16), b.readUInt32BE(20)] : null
}

/** JPEG: the first start-of-frame marker (SOF0–SOF15 but DHT, JPG, DAC) carries height then width. */
function jpegSize(b: Buffer): [number, number] | null {
  let i = 2
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) return null
    const marker = b[i + 1]!
    if (marker === 0xff) {
      i++
      continue
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2
      continue
    }
    const len = b.readUInt16BE(i + 2)
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc)
      return [b.readUInt16BE(i + 7), b.readUInt16BE(i + 5)]
    if (marker === 0xd9 || marker === 0xda) return null
    i += 2 + len
  }
  return null
}

/** A length attribute in px (plain or `px`); other units say nothing about pixels. */
const px = (v: string | undefined) => (v && /^\s*\d+(\.\d+)?\s*(px)?\s*$/.test(v) ? Number.parseFloat(v) : null)

/** SVG: width/height of the root element, else its viewBox. */
function svgSize(text: string): [number, number] | null {
  const root = /<svg\b([^>]*)>/i.exec(text)?.[1] ?? ''
  const attr = (n: string) => new RegExp(`\\s${n}\\s*=\\s*["']([^"']*)["']`, 'i').exec(root)?.[1]
  const w = px(attr('width'))
  const h = px(attr('height'))
  if (w && h) return [w, h]
  const vb = attr('viewBox')
    ?.trim()
    .split(/[\s,]+/)
    .map(Number)
  return vb && vb.length === 4 && vb.every(Number.isFinite) && vb[2]! > 0 && vb[3]! > 0 ? [vb[2]!, vb[3]!] : null
}

/** What makes an SVG unsafe to render unattended: scripts, handlers, external or embedded documents. */
function svgHazards(text: string): string[] {
  const out: string[] = []
  if (/<script\b/i.test(text)) out.push('a <script> element')
  if (/\son[a-z]+\s*=/i.test(text)) out.push('an event-handler attribute (on…=)')
  if (/<foreignObject\b/i.test(text)) out.push('a <foreignObject> element')
  if (/<!ENTITY/i.test(text)) out.push('an XML entity declaration')
  if (/javascript:/i.test(text)) out.push('a javascript: URL')
  const refs = [...text.matchAll(/(?:xlink:)?href\s*=\s*["']\s*([^"'\s]+)/gi)].map((m) => m[1]!)
  const urls = [...text.matchAll(/url\(\s*["']?\s*([^)"'\s]+)/gi)].map((m) => m[1]!)
  const external = [...refs, ...urls].filter((r) => !r.startsWith('#'))
  if (external.length) out.push(`external references (${[...new Set(external)].slice(0, 3).join(', ')})`)
  if (/@import/i.test(text)) out.push('a CSS @import')
  return out
}

/**
 * Judges logo bytes served with `contentType`: type by magic bytes (agreeing with the content
 * type), size, dimensions and, for SVG, safety. Never throws on any input.
 */
export function inspectLogo(bytes: Uint8Array, contentType: string | undefined): LogoInspection {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const problems: string[] = []
  const type = sniff(b)
  const ct = (contentType ?? '').split(';')[0]!.trim().toLowerCase()
  let size: [number, number] | null = null
  if (b.length > LOGO_MAX_BYTES) problems.push(`the logo is ${b.length} bytes; at most ${LOGO_MAX_BYTES} are accepted`)
  if (!type) problems.push(`the body is not a PNG, JPEG or SVG image (content type ${ct || 'none'})`)
  else {
    if (!CONTENT_TYPES[type].includes(ct))
      problems.push(`the bytes are ${type.toUpperCase()} but the server said ${ct || 'no content type'}`)
    if (type === 'svg') {
      const text = b.toString('utf8')
      size = svgSize(text)
      const hazards = svgHazards(text)
      if (hazards.length) problems.push(`the SVG contains ${hazards.join(', ')}`)
    } else {
      try {
        size = type === 'png' ? pngSize(b) : jpegSize(b)
      } catch {
        size = null
      }
    }
    if (!size) problems.push(`the ${type.toUpperCase()}'s dimensions cannot be read from its bytes`)
    else {
      const [w, h] = size
      if (Math.min(w, h) < LOGO_MIN_PX)
        problems.push(`the logo is ${w}×${h} px; each side must be at least ${LOGO_MIN_PX}`)
      if (Math.max(w, h) / Math.min(w, h) > LOGO_MAX_RATIO)
        problems.push(`the logo is ${w}×${h} px; it must be square or nearly (at most ${LOGO_MAX_RATIO}:1)`)
    }
  }
  return {
    type,
    width: size?.[0] ?? null,
    height: size?.[1] ?? null,
    bytes: b.length,
    digest: rcdiDigest(b),
    problems,
  }
}
