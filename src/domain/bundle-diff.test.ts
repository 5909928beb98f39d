import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { diffBundles, type DiffSide } from './bundle-diff.js'

const side = (o: Partial<DiffSide> = {}): DiffSide => ({ endUsers: [], documents: [], addresses: [], linked: [], ...o })
const info = (sid: string, attributes: Record<string, unknown>, friendly_name = 'Business') => ({
  sid,
  type: 'customer_profile_business_information',
  friendly_name,
  attributes,
})
const address = (sid: string, street: string) => ({
  sid,
  customer_name: 'Acme',
  street,
  city: 'San Francisco',
  region: 'CA',
  postal_code: '94105',
  iso_country: 'US',
})

describe('bundle diff', () => {
  it('an unchanged copy (new SIDs, same facts) has no changes', () => {
    const a = side({
      endUsers: [info('IT1', { business_name: 'Acme', ein: '1' })],
      addresses: [address('AD1', '1 Main St')],
      linked: ['BU1'],
    })
    const b = side({
      endUsers: [info('IT2', { ein: '1', business_name: 'Acme' })],
      addresses: [address('AD1', '1 Main St')],
      linked: ['BU1'],
    })
    assert.deepEqual(diffBundles(a, b), [])
  })

  it('lists each changed field with before and after, pairing objects by type', () => {
    const rep = (sid: string, email: string) => ({
      sid,
      type: 'authorized_representative_1',
      friendly_name: 'Rep',
      attributes: { email },
    })
    const a = side({
      endUsers: [info('IT1', { business_name: 'Acme', website_url: 'https://a.example' }), rep('IT2', 'a@a.example')],
    })
    const b = side({
      endUsers: [rep('IT4', 'b@a.example'), info('IT3', { business_name: 'Acme Holdings', social: 'x' }, 'Biz')],
    })
    assert.deepEqual(diffBundles(a, b), [
      {
        object: 'end_user',
        type: 'customer_profile_business_information',
        field: 'friendly_name',
        before: 'Business',
        after: 'Biz',
      },
      {
        object: 'end_user',
        type: 'customer_profile_business_information',
        field: 'business_name',
        before: 'Acme',
        after: 'Acme Holdings',
      },
      {
        object: 'end_user',
        type: 'customer_profile_business_information',
        field: 'website_url',
        before: 'https://a.example',
        after: null,
      },
      { object: 'end_user', type: 'customer_profile_business_information', field: 'social', before: null, after: 'x' },
      {
        object: 'end_user',
        type: 'authorized_representative_1',
        field: 'email',
        before: 'a@a.example',
        after: 'b@a.example',
      },
    ])
  })

  it('an added or removed object shows all its fields; addresses by contents; supporting bundles as a set', () => {
    const doc = (sid: string, ad: string) => ({
      sid,
      type: 'customer_profile_address',
      friendly_name: 'HQ',
      attributes: { address_sids: ad },
    })
    const rep2 = {
      sid: 'IT9',
      type: 'authorized_representative_2',
      friendly_name: 'Rep 2',
      attributes: { first_name: 'Al' },
    }
    const a = side({ documents: [doc('RD1', 'AD1')], addresses: [address('AD1', '1 Main St')], linked: ['BU1'] })
    const b = side({
      endUsers: [rep2],
      documents: [doc('RD2', 'AD2')],
      addresses: [address('AD2', '9 Oak Ave')],
      linked: ['BU2'],
    })
    assert.deepEqual(diffBundles(a, b), [
      { object: 'end_user', type: 'authorized_representative_2', field: 'friendly_name', before: null, after: 'Rep 2' },
      { object: 'end_user', type: 'authorized_representative_2', field: 'first_name', before: null, after: 'Al' },
      {
        object: 'supporting_document',
        type: 'customer_profile_address',
        field: 'address_sids',
        before: 'AD1',
        after: 'AD2',
      },
      { object: 'address', type: 'address', field: 'street', before: '1 Main St', after: '9 Oak Ave' },
      { object: 'supporting_bundle', type: 'bundle', field: 'sid', before: 'BU1', after: 'BU2' },
    ])
  })
})
