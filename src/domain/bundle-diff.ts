/**
 * What a copy changes against its original (DESIGN §2): the field-level list a reviewer reads
 * to judge a revision of an approved bundle. End users and supporting documents are paired by
 * type (in attachment order when a type repeats), addresses in the order the documents name
 * them, supporting bundles as a set. Pure: no I/O.
 */

/** An end user or supporting document as compared. */
interface DiffObject {
  readonly sid: string
  readonly type: string
  readonly friendly_name: string
  readonly attributes: Readonly<Record<string, unknown>>
}

/** An address as compared: its SID and the fields a reviewer reads. */
interface DiffAddress {
  readonly sid: string
  readonly [field: string]: unknown
}

/** One side of the comparison: what a bundle attaches. */
export interface DiffSide {
  readonly endUsers: readonly DiffObject[]
  readonly documents: readonly DiffObject[]
  readonly addresses: readonly DiffAddress[]
  readonly linked: readonly string[]
}

type DiffKind = 'end_user' | 'supporting_document' | 'address' | 'supporting_bundle'

/** One changed field: `before` is the original's value, `after` the copy's (null when absent). */
export interface Change {
  readonly object: DiffKind
  /** The object's type (an end-user or document type, `address`, `bundle`). */
  readonly type: string
  /** `friendly_name`, an attribute name, an address field, or `sid` (a supporting bundle). */
  readonly field: string
  readonly before: unknown
  readonly after: unknown
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null)
/** Fields compared for every pair: the name, then each attribute either side has, in a stable order. */
const fields = (o: DiffObject | undefined): Record<string, unknown> =>
  o ? { friendly_name: o.friendly_name, ...o.attributes } : {}

/** The changed fields of two values as field maps (an absent side contributes nulls). */
function changedFields(
  object: DiffKind,
  type: string,
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): Change[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])]
  return keys
    .filter((k) => !same(before[k], after[k]))
    .map((field) => ({ object, type, field, before: before[field] ?? null, after: after[field] ?? null }))
}

/** Pairs objects by type, the n-th of a type with the n-th of the same type. */
function pairByType(object: DiffKind, before: readonly DiffObject[], after: readonly DiffObject[]): Change[] {
  const types = [...new Set([...before, ...after].map((o) => o.type))]
  return types.flatMap((type) => {
    const b = before.filter((o) => o.type === type)
    const a = after.filter((o) => o.type === type)
    return Array.from({ length: Math.max(a.length, b.length) }, (_, i) =>
      changedFields(object, type, fields(b[i]), fields(a[i])),
    ).flat()
  })
}

/** Address fields without the SID (a new address with the same contents is no change of fact). */
const addressFields = (a: DiffAddress | undefined): Record<string, unknown> => {
  if (!a) return {}
  const { sid: _sid, ...rest } = a
  return rest
}

/** The field-level changes from `original` to `copy`, in a stable order: end users, documents, addresses, supporting bundles. */
export function diffBundles(original: DiffSide, copy: DiffSide): Change[] {
  const addresses = Array.from({ length: Math.max(original.addresses.length, copy.addresses.length) }, (_, i) =>
    changedFields('address', 'address', addressFields(original.addresses[i]), addressFields(copy.addresses[i])),
  ).flat()
  const before = [...original.linked].sort()
  const after = [...copy.linked].sort()
  const linked: Change[] = same(before, after)
    ? []
    : [
        {
          object: 'supporting_bundle',
          type: 'bundle',
          field: 'sid',
          before: before.join(', ') || null,
          after: after.join(', ') || null,
        },
      ]
  return [
    ...pairByType('end_user', original.endUsers, copy.endUsers),
    ...pairByType('supporting_document', original.documents, copy.documents),
    ...addresses,
    ...linked,
  ]
}
