import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { cidrText, coveredBy, longestMatch, parseCidr, type Cidr } from './cidr.js'

const block = (s: string): Cidr => {
  const c = parseCidr(s)
  assert.ok(!('error' in c), s)
  return c
}

describe('CIDR blocks', () => {
  it('parses IPv4 and IPv6 blocks into canonical text (host bits cleared, IPv6 compressed); a bare address is a host block', () => {
    for (const [raw, text] of [
      ['10.1.2.3/8', '10.0.0.0/8'],
      ['192.0.2.7', '192.0.2.7/32'],
      ['0.0.0.0/0', '0.0.0.0/0'],
      ['2001:DB8:0:0:1::5/64', '2001:db8::/64'],
      ['::1', '::1/128'],
      ['2001:db8::ffff:192.0.2.1/120', '2001:db8::ffff:c000:200/120'],
      [' 198.51.100.9/31 ', '198.51.100.8/31'],
    ] as const) {
      assert.equal(cidrText(block(raw)), text, raw)
    }
  })

  it('refuses what is not a block: bad addresses, prefixes out of range, zone indexes, names', () => {
    for (const raw of [
      '10.0.0.0/33',
      '10.0.0/8',
      '010.0.0.1/32',
      '10.0.0.0/-1',
      '10.0.0.0/',
      '2001:db8::/129',
      'fe80::1%eth0/64',
      'sbc.example/24',
      '',
      '1.2.3.4/8/8',
    ]) {
      assert.ok('error' in parseCidr(raw), raw)
    }
  })

  it('finds the longest prefix holding an address, IPv4-mapped IPv6 sources as IPv4, families apart', () => {
    const blocks = ['10.0.0.0/8', '10.1.0.0/16', '10.1.2.3/32', '2001:db8::/32', '2001:db8:1::/48'].map(block)
    assert.equal(longestMatch(blocks, '10.1.2.3'), 32)
    assert.equal(longestMatch(blocks, '10.1.9.9'), 16)
    assert.equal(longestMatch(blocks, '10.200.0.1'), 8)
    assert.equal(longestMatch(blocks, '::ffff:10.1.2.3'), 32)
    assert.equal(longestMatch(blocks, '11.0.0.1'), undefined)
    assert.equal(longestMatch(blocks, '2001:db8:1::5'), 48)
    assert.equal(longestMatch(blocks, '2001:db8:2::5'), 32)
    assert.equal(longestMatch(blocks, '::1'), undefined)
    assert.equal(longestMatch(blocks, 'not an address'), undefined)
    assert.equal(longestMatch([block('0.0.0.0/0')], '203.0.113.5'), 0)
  })

  it('tells whether a block lies within others', () => {
    const outer = ['10.0.0.0/8', '2001:db8::/32'].map(block)
    assert.ok(coveredBy(block('10.9.0.0/16'), outer))
    assert.ok(coveredBy(block('10.0.0.0/8'), outer))
    assert.ok(!coveredBy(block('10.0.0.0/7'), outer))
    assert.ok(!coveredBy(block('11.0.0.0/16'), outer))
    assert.ok(coveredBy(block('2001:db8:5::/48'), outer))
    assert.ok(!coveredBy(block('::ffff:10.0.0.0/104'), outer), 'families apart')
  })
})
