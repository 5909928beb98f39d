import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { roleAllows } from './roles.js'

describe('roleAllows', () => {
  it('opens reads to every account role and to no staff role', () => {
    for (const role of ['owner', 'compliance', 'developer', 'read-only'] as const)
      assert.equal(roleAllows(role, 'GET', '/v1/CustomerProfiles'), true, role)
    assert.equal(roleAllows('operator', 'GET', '/v1/CustomerProfiles'), false)
    assert.equal(roleAllows('reviewer', 'GET', '/v1/EndUsers'), false)
  })

  it('covers a route and what is below it, not a route that only shares its start', () => {
    assert.equal(roleAllows('compliance', 'POST', '/v1/CustomerProfiles/:Sid'), true)
    assert.equal(roleAllows('compliance', 'POST', '/2010-04-01/Accounts/:AccountSid/Addresses.json'), true)
    assert.equal(roleAllows('compliance', 'POST', '/v1/EndUsersX'), false)
    assert.equal(roleAllows('developer', 'POST', '/v1/CustomerProfiles/:Sid'), false)
    assert.equal(roleAllows('developer', 'POST', '/v1/CustomerProfiles/:BundleSid/ChannelEndpointAssignments'), true)
    assert.equal(roleAllows('developer', 'DELETE', '/2010-04-01/Accounts/:AccountSid/Keys/:Sid.json'), true)
    assert.equal(roleAllows('compliance', 'POST', '/2010-04-01/Accounts/:AccountSid/Keys.json'), false)
    assert.equal(roleAllows('read-only', 'POST', '/v1/EndUsers'), false)
    assert.equal(roleAllows('owner', 'DELETE', '/v1/AuthTokens/Secondary'), true)
    assert.equal(roleAllows('developer', 'POST', '/2010-04-01/Accounts.json'), false)
  })
})
