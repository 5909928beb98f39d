/** A signed call's record row: a branded call's reasons end with the RCD its PASSporT carried; others keep the decision's own array. */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Decision } from '../../domain/attestation.js'
import { rowOf } from './call-record.js'

const decision: Decision = {
  attest: 'A',
  rule: 'full-attestation',
  reasons: ['number is on approved business profile BU1 and approved trust product BU2'],
  origid: '7b3b0b7e-3c3c-4c4c-8d8d-0e0e0e0e0e0e',
  missingForA: [],
  missingForB: [],
}
const ctx = { sid: 'CL' + '0'.repeat(32), accountSid: 'AC' + '1'.repeat(32), parentSid: null }
const reasonsOf = (result: Record<string, unknown>) =>
  JSON.parse(
    rowOf(
      {
        kind: 'signed',
        at: Date.parse('2026-12-06T12:00:00Z'),
        accountSid: ctx.accountSid,
        result: { orig: '+12125550100', dest: ['+13035550100'], decision, attest: 'A', notes: [], ...result },
      },
      ctx,
    ).reasons,
  ) as string[]

describe('call record: the signed Rich Call Data', () => {
  it('adds one line naming the display name, call reason and logo of a branded call', () => {
    assert.deepEqual(reasonsOf({ rcd: { nam: 'Demo Dental LLC', crn: 'Appointment reminder' } }), [
      ...decision.reasons,
      'branded as "Demo Dental LLC": signed rcd, call reason "Appointment reminder", no logo',
    ])
    const logo = reasonsOf({
      rcd: { nam: 'Acme "Pharmacy"', icn: 'https://logos.example/acme.png' },
      notes: ['call reason "x" is not one the product was approved with: not signed'],
    })
    assert.deepEqual(logo.slice(1), [
      'call reason "x" is not one the product was approved with: not signed',
      'branded as "Acme \\"Pharmacy\\"": signed rcd, no call reason, logo https://logos.example/acme.png (its pinned digest in rcdi)',
    ])
  })

  it('an unbranded call keeps exactly the decision’s reasons', () => {
    assert.deepEqual(reasonsOf({}), decision.reasons)
    assert.ok(!reasonsOf({ notes: ['n'] }).some((r) => r.startsWith('branded')))
  })
})
