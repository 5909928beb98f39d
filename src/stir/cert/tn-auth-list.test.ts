import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { decodeTnAuthList, encodeTnAuthList, spcTnAuthList, spcsOf, TN_AUTH_LIST_OID } from './tn-auth-list.js'

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex')

describe('TNAuthList (RFC 8226 §9, ATIS-1000080)', () => {
  it('encodes an SPC with EXPLICIT tags exactly like real certificates', () => {
    assert.equal(TN_AUTH_LIST_OID, '1.3.6.1.5.5.7.1.26')
    assert.equal(hex(spcTnAuthList('318J')), '3008a00616043331384a')
    assert.equal(Buffer.from(spcTnAuthList('6628')).toString('base64'), 'MAigBhYENjYyOA==')
  })
  it('round-trips spc, one and range entries', () => {
    const entries = [
      { type: 'spc', spc: '709J' },
      { type: 'one', tn: '1234' },
      { type: 'range', start: '12155550100', count: 100 },
    ] as const
    assert.deepEqual(decodeTnAuthList(encodeTnAuthList(entries)), entries)
    assert.ok(
      hex(encodeTnAuthList([{ type: 'one', tn: '1234' }])).includes('a2061604' + Buffer.from('1234').toString('hex')),
    )
  })
  it('decodes real DER and lists the SPCs', () => {
    const e = decodeTnAuthList(Buffer.from('MAigBhYEMzE4Sg==', 'base64'))
    assert.deepEqual(spcsOf(e), ['318J'])
  })
  it('rejects what is not a TNAuthList', () => {
    // libstirshaken's sp.pem: a bare IA5String URI instead of a SEQUENCE.
    assert.throws(() => decodeTnAuthList(Buffer.from('160568747470', 'hex')), RangeError)
    assert.throws(() => decodeTnAuthList(Buffer.from('3004a5021600', 'hex')), RangeError)
    assert.throws(() => decodeTnAuthList(new Uint8Array()), RangeError)
    assert.throws(() => encodeTnAuthList([]), RangeError)
  })
})
