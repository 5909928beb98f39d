import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { isAllowedHost, isForbiddenAddress } from './address-policy.js'

describe('address policy', () => {
  it('refuses loopback, private, link-local, metadata and multicast addresses', () => {
    for (const ip of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '0.0.0.0',
      '224.0.0.1',
      '::1',
      'fe80::1',
      'fd00::1',
      '::ffff:127.0.0.1',
      'not-an-ip',
    ]) {
      assert.equal(isForbiddenAddress(ip), true, ip)
    }
  })
  it('allows public addresses', () => {
    for (const ip of ['8.8.8.8', '1.1.1.1', '2606:4700::1111', '172.32.0.1'])
      assert.equal(isForbiddenAddress(ip), false, ip)
  })
  it('matches host and optional port entries', () => {
    assert.equal(isAllowedHost(['127.0.0.1'], '127.0.0.1', 8080), true)
    assert.equal(isAllowedHost(['127.0.0.1:8080'], '127.0.0.1', 8080), true)
    assert.equal(isAllowedHost(['127.0.0.1:8080'], '127.0.0.1', 9090), false)
    assert.equal(isAllowedHost(['[::1]:443'], '[::1]', 443), true)
    assert.equal(isAllowedHost(['certs.example.com'], 'CERTS.example.com', 443), true)
    assert.equal(isAllowedHost([], '127.0.0.1', 80), false)
  })
})
