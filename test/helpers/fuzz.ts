/**
 * Property-based fuzzing with fast-check: run counts and the seed, and mutators that turn a
 * realistic input (a form, a JSON body, an Identity header, a SIP message, a PEM bundle) into
 * the hostile variants strangers send: truncated, with control characters and NULs, huge
 * numbers, deep nesting, wrong types, unicode, invalid percent-encoding, duplicates.
 *
 * Runs: each property names its default count; `STIRHUB_FUZZ_RUNS=200000` scales every
 * property so that a default-10,000 one runs 200,000 times (and the rest in proportion).
 * Seed: fixed by default (`STIRHUB_FUZZ_SEED` overrides it); fast-check prints the seed and
 * the shrunk counterexample's path on failure, and `STIRHUB_FUZZ_SEED` with that value
 * replays it.
 */
import fc from 'fast-check'

/** The run count a default-10,000 property gets under STIRHUB_FUZZ_RUNS. */
const BASE_RUNS = 10_000
const ENV_RUNS = Number(process.env.STIRHUB_FUZZ_RUNS)
const ENV_SEED = Number(process.env.STIRHUB_FUZZ_SEED)

/** The fixed default seed (any number would do: fixed makes a red run replay as it failed). */
export const FUZZ_SEED = Number.isSafeInteger(ENV_SEED) && process.env.STIRHUB_FUZZ_SEED ? ENV_SEED : 0x5717_4b0b

/** `defaultRuns`, or scaled by STIRHUB_FUZZ_RUNS (never fewer than the default). */
export function fuzzRuns(defaultRuns: number): number {
  if (!Number.isFinite(ENV_RUNS) || ENV_RUNS <= 0) return defaultRuns
  return Math.max(defaultRuns, Math.round((defaultRuns * ENV_RUNS) / BASE_RUNS))
}

/** fast-check parameters for a property of `defaultRuns` cases. */
export function fuzzParams<T>(defaultRuns: number, extra: fc.Parameters<T> = {}): fc.Parameters<T> {
  return { numRuns: fuzzRuns(defaultRuns), seed: FUZZ_SEED, includeErrorInReport: true, ...extra }
}

/** Text fragments that break parsers: controls, NUL, separators, escapes, encodings, numbers, prototype keys. */
const NASTY: readonly string[] = Object.freeze([
  '\0',
  '\0\0\0',
  '\r\n',
  '\n',
  '\r',
  '\t',
  '\x1b[31m',
  '\x7f',
  '\x08',
  '\x0b',
  '\x0c',
  '\u0085',
  '\u2028',
  '\u2029',
  '\uFEFF',
  '\u202E',
  '\u200B',
  '\uD800',
  '\uDFFF',
  '\uD83D',
  '😀',
  '👨‍👩‍👧',
  'é',
  'e\u0301',
  'ﬀ',
  'İ',
  'ß',
  '\u00a0',
  '\u3000',
  'Ａ',
  '%',
  '%2',
  '%zz',
  '%00',
  '%0d%0a',
  '%C0%AE',
  '%E2%82',
  '%FF',
  '%u0041',
  '%%',
  '%25',
  '+',
  '&',
  '&&',
  '=',
  '==',
  ';',
  ',',
  ':',
  '"',
  "'",
  '`',
  '\\',
  '\\u0000',
  '\\x00',
  '<',
  '>',
  '/',
  '../',
  '?',
  '#',
  '{',
  '}',
  '[',
  ']',
  '()',
  '*',
  '@',
  '!',
  '|',
  '~',
  '1e400',
  '-1e400',
  '1e-400',
  '-0',
  'NaN',
  'Infinity',
  '-Infinity',
  '0x1F',
  '0b1',
  '1_000',
  '9007199254740993',
  '-1',
  '99999999999999999999999999999999999999',
  '1'.repeat(400),
  '0.1e1',
  '1.',
  '.1',
  '+1',
  '--1',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'null',
  'true',
  'false',
  'undefined',
  ' ',
  '   ',
  '',
  'A'.repeat(300),
  'x'.repeat(5000),
  '${7*7}',
  '{{7*7}}',
  '%s%n%x',
  "' OR '1'='1",
  '; DROP TABLE accounts; --',
])

/** One nasty fragment, or a short random string (any UTF-16 code units, lone surrogates included). */
export const nastyText: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
  {
    weight: 1,
    arbitrary: fc.string({
      unit: fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)),
      minLength: 1,
      maxLength: 6,
    }),
  },
)

type TextOp =
  | { readonly k: 'truncate'; readonly at: number }
  | { readonly k: 'insert'; readonly at: number; readonly s: string }
  | { readonly k: 'delete'; readonly at: number; readonly n: number }
  | { readonly k: 'replace'; readonly at: number; readonly n: number; readonly s: string }
  | { readonly k: 'repeat'; readonly at: number; readonly n: number; readonly times: number }
  | { readonly k: 'case' }
  | { readonly k: 'swap'; readonly at: number; readonly to: number; readonly n: number }

const textOp: fc.Arbitrary<TextOp> = fc.oneof(
  fc.record({ k: fc.constant('truncate' as const), at: fc.nat() }),
  { weight: 3, arbitrary: fc.record({ k: fc.constant('insert' as const), at: fc.nat(), s: nastyText }) },
  fc.record({ k: fc.constant('delete' as const), at: fc.nat(), n: fc.integer({ min: 1, max: 24 }) }),
  {
    weight: 2,
    arbitrary: fc.record({
      k: fc.constant('replace' as const),
      at: fc.nat(),
      n: fc.integer({ min: 1, max: 8 }),
      s: nastyText,
    }),
  },
  fc.record({
    k: fc.constant('repeat' as const),
    at: fc.nat(),
    n: fc.integer({ min: 1, max: 40 }),
    times: fc.integer({ min: 2, max: 80 }),
  }),
  fc.record({ k: fc.constant('case' as const) }),
  fc.record({ k: fc.constant('swap' as const), at: fc.nat(), to: fc.nat(), n: fc.integer({ min: 1, max: 16 }) }),
)

function applyTextOp(s: string, op: TextOp): string {
  const pos = (n: number) => n % (s.length + 1)
  switch (op.k) {
    case 'truncate':
      return s.slice(0, pos(op.at))
    case 'insert': {
      const i = pos(op.at)
      return s.slice(0, i) + op.s + s.slice(i)
    }
    case 'delete': {
      const i = pos(op.at)
      return s.slice(0, i) + s.slice(i + op.n)
    }
    case 'replace': {
      const i = pos(op.at)
      return s.slice(0, i) + op.s + s.slice(i + op.n)
    }
    case 'repeat': {
      const i = pos(op.at)
      const part = s.slice(i, i + op.n)
      return s.slice(0, i) + part.repeat(op.times) + s.slice(i + op.n)
    }
    case 'case':
      return s === s.toUpperCase() ? s.toLowerCase() : s.toUpperCase()
    case 'swap': {
      const i = pos(op.at)
      const part = s.slice(i, i + op.n)
      const rest = s.slice(0, i) + s.slice(i + op.n)
      const j = op.to % (rest.length + 1)
      return rest.slice(0, j) + part + rest.slice(j)
    }
  }
}

/** `base` put through one to `maxOps` text mutations. */
export function mutateText(base: string, maxOps = 4): fc.Arbitrary<string> {
  return fc.array(textOp, { minLength: 1, maxLength: maxOps }).map((ops) => ops.reduce(applyTextOp, base))
}

/** `base` as it is (sometimes) or mutated: the valid input must keep working alongside the hostile ones. */
export function sometimesMutated(base: string, maxOps = 4): fc.Arbitrary<string> {
  return fc.oneof({ weight: 1, arbitrary: fc.constant(base) }, { weight: 9, arbitrary: mutateText(base, maxOps) })
}

/** One of several realistic bases, mutated. */
export function mutatedFrom(bases: readonly string[], maxOps = 4): fc.Arbitrary<string> {
  return fc.constantFrom(...bases).chain((b) => sometimesMutated(b, maxOps))
}

/** `[[[...]]]` or `{"a":{"a":...}}` nested `depth` deep, as JSON text (what a parser's recursion meets). */
function deepJsonText(depth: number, kind: 'array' | 'object' = 'array'): string {
  return kind === 'array' ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)
}

/** A value nested `depth` deep (arrays and objects alternate). */
function deepValue(depth: number): unknown {
  let v: unknown = 'x'
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v }
  return v
}

/** Values of the wrong type or out of range, for any JSON member. */
export const weirdValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(
    null,
    true,
    false,
    0,
    -1,
    1.5,
    -0,
    2 ** 53 + 2,
    Number.MAX_VALUE,
    -Number.MAX_VALUE,
    1e-300,
    '',
    ' ',
    '0',
    'null',
    [],
    {},
    [null],
    [''],
    { tn: null },
    { '': '' },
    { __proto__: null },
    { toString: 1 },
    { toString: 'x', valueOf: 'y' },
    [{ toString: 1 }],
    { constructor: { prototype: 1 } },
    'x'.repeat(70_000),
  ),
  nastyText,
  fc.integer({ min: 1, max: 600 }).map((d) => deepValue(d)),
  fc.jsonValue({ maxDepth: 3 }),
  fc.array(nastyText, { maxLength: 40 }),
)

/** Every path (as keys) to a member or element of `v`, the root included, down to depth 32 (deep values are mutated whole). */
function pathsOf(v: unknown, at: readonly (string | number)[] = [], out: (readonly (string | number)[])[] = []) {
  out.push(at)
  if (at.length >= 32) return out
  if (Array.isArray(v)) v.forEach((x, i) => pathsOf(x, [...at, i], out))
  else if (v !== null && typeof v === 'object')
    for (const k of Object.keys(v)) pathsOf((v as Record<string, unknown>)[k], [...at, k], out)
  return out
}

type JsonOp =
  | { readonly k: 'set'; readonly p: number; readonly v: unknown }
  | { readonly k: 'text'; readonly p: number; readonly s: string; readonly at: number }
  | { readonly k: 'drop'; readonly p: number }
  | { readonly k: 'wrap'; readonly p: number }
  | { readonly k: 'add'; readonly p: number; readonly key: string; readonly v: unknown }
  | { readonly k: 'dup'; readonly p: number; readonly times: number }

const jsonOp: fc.Arbitrary<JsonOp> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ k: fc.constant('set' as const), p: fc.nat(), v: weirdValue }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('text' as const), p: fc.nat(), s: nastyText, at: fc.nat() }) },
  fc.record({ k: fc.constant('drop' as const), p: fc.nat() }),
  fc.record({ k: fc.constant('wrap' as const), p: fc.nat() }),
  fc.record({
    k: fc.constant('add' as const),
    p: fc.nat(),
    key: fc.oneof(fc.constantFrom('__proto__', 'constructor', 'toString', '', 'tn', 'x'), nastyText),
    v: weirdValue,
  }),
  fc.record({ k: fc.constant('dup' as const), p: fc.nat(), times: fc.integer({ min: 2, max: 40 }) }),
)

const clone = (v: unknown): unknown => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)))

function applyJsonOp(root: unknown, op: JsonOp): unknown {
  const paths = pathsOf(root)
  const path = paths[op.p % paths.length]!
  const get = (p: readonly (string | number)[]) => p.reduce<any>((o, k) => o?.[k], root)
  const put = (value: unknown): unknown => {
    if (path.length === 0) return value
    const parent = get(path.slice(0, -1))
    if (parent !== null && typeof parent === 'object') parent[path[path.length - 1]!] = value
    return root
  }
  const cur = get(path)
  switch (op.k) {
    case 'set':
      return put(clone(op.v))
    case 'text': {
      const s = typeof cur === 'string' ? cur : (JSON.stringify(cur) ?? '')
      const i = op.at % (s.length + 1)
      return put(s.slice(0, i) + op.s + s.slice(i))
    }
    case 'drop': {
      if (path.length === 0) return undefined
      const parent = get(path.slice(0, -1))
      if (Array.isArray(parent)) parent.splice(Number(path[path.length - 1]), 1)
      else if (parent !== null && typeof parent === 'object') delete parent[path[path.length - 1]!]
      return root
    }
    case 'wrap':
      return put([cur])
    case 'add': {
      if (cur !== null && typeof cur === 'object' && !Array.isArray(cur)) {
        Object.defineProperty(cur, op.key, { value: clone(op.v), enumerable: true, writable: true, configurable: true })
        return root
      }
      return put({ [op.key]: clone(op.v), value: cur })
    }
    case 'dup':
      return put(
        Array.isArray(cur)
          ? Array.from({ length: op.times }, () => clone(cur[0]))
          : Array.from({ length: op.times }, () => clone(cur)),
      )
  }
}

/** `base` (any JSON value) with one to `maxOps` structural mutations: wrong types, drops, additions, nesting, duplicates. */
export function mutateJson(base: unknown, maxOps = 3): fc.Arbitrary<unknown> {
  return fc
    .array(jsonOp, { minLength: 1, maxLength: maxOps })
    .map((ops) => ops.reduce((v, op) => applyJsonOp(v, op), clone(base)))
}

/**
 * JSON text for a body built from `base`: valid (sometimes), structurally mutated, or that
 * JSON's text mutated (what JSON.stringify can never give: 1e400, bad escapes, truncation,
 * duplicate keys, deep nesting).
 */
export function mutatedJsonText(base: unknown): fc.Arbitrary<string> {
  const structural = mutateJson(base).map((v) => JSON.stringify(v) ?? '')
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant(JSON.stringify(base)) },
    { weight: 4, arbitrary: structural },
    { weight: 3, arbitrary: structural.chain((t) => mutateText(t, 3)) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        JSON.stringify(base).replace(/(":)(\d+)/, '$11e400'),
        JSON.stringify(base).replace(/(":)(\d+)/, '$1-1e400'),
        JSON.stringify(base).replace(/^\{/, '{"__proto__":{"x":1},'),
        JSON.stringify(base).replace(/^\{/, '{"constructor":{"prototype":{"x":1}},'),
        JSON.stringify(base).slice(0, -1) + ',' + JSON.stringify(base).slice(1),
        deepJsonText(5000),
        deepJsonText(5000, 'object'),
        '',
        ' ',
        'null',
        '[]',
        '"x"',
        '0',
        '\uFEFF' + JSON.stringify(base),
      ),
    },
  )
}

/** A form body (name → value) encoded as `application/x-www-form-urlencoded`, raw pairs kept in order. */
export type FormPairs = readonly (readonly [string, string])[]

/** Percent-encodes the UTF-8 bytes of `s` (a lone surrogate, which encodeURIComponent refuses, as U+FFFD). */
export function pct(s: string): string {
  let out = ''
  for (const b of Buffer.from(s, 'utf8'))
    out += /[A-Za-z0-9\-_.~]/.test(String.fromCharCode(b))
      ? String.fromCharCode(b)
      : '%' + b.toString(16).toUpperCase().padStart(2, '0')
  return out
}

export function encodeForm(pairs: FormPairs): string {
  return pairs.map(([k, v]) => `${pct(k)}=${pct(v)}`).join('&')
}

/**
 * A form body from `base`: values and names mutated, fields dropped, repeated or added, and the
 * encoded text itself mutated (invalid percent-encoding, stray `&`/`=`, truncation).
 */
export function mutatedForm(base: Readonly<Record<string, string>>): fc.Arbitrary<string> {
  const entries = Object.entries(base)
  const names = [
    ...Object.keys(base),
    'PageSize',
    'FriendlyName',
    'Attributes',
    'Type',
    'Email',
    'PolicySid',
    'StatusCallback',
  ]
  const pair = fc.tuple(
    fc.oneof(fc.constantFrom(...names), nastyText),
    fc.oneof(
      nastyText,
      fc.constantFrom(...Object.values(base)).chain((v) => mutateText(v, 2)),
    ),
  )
  const pairs: fc.Arbitrary<FormPairs> = fc
    .tuple(
      fc.subarray(entries.map(([k, v]) => [k, v] as const)),
      fc.array(fc.tuple(fc.nat(), fc.oneof(nastyText, fc.constant(''))), { maxLength: 3 }),
      fc.array(pair, { maxLength: 3 }),
      fc.array(fc.nat(), { maxLength: 2 }),
    )
    .map(([kept, edits, extra, dups]) => {
      const out: [string, string][] = kept.map(([k, v]) => [k, v])
      for (const [i, s] of edits)
        if (out.length) {
          const e = out[i % out.length]!
          e[1] = s === '' ? '' : e[1] + s
        }
      for (const i of dups) if (out.length) out.push([...out[i % out.length]!])
      return [...out, ...extra]
    })
  const encoded = pairs.map(encodeForm)
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant(encodeForm(entries)) },
    { weight: 5, arbitrary: encoded },
    { weight: 3, arbitrary: encoded.chain((t) => mutateText(t, 3)) },
    { weight: 1, arbitrary: pairs.map((ps) => ps.map(([k, v]) => `${k}=${v}`).join('&')) },
  )
}
