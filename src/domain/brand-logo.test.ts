import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { inspectLogo, rcdiDigest } from './brand-logo.js'
import { jpeg, png } from '../../test/helpers/images.js'

describe('logo inspection', () => {
  it('reads PNG and JPEG dimensions from their bytes', () => {
    const p = inspectLogo(png(128, 128), 'image/png')
    assert.deepEqual([p.type, p.width, p.height, p.problems], ['png', 128, 128, []])
    const j = inspectLogo(jpeg(200, 180), 'image/jpeg')
    assert.deepEqual([j.type, j.width, j.height, j.problems], ['jpeg', 200, 180, []])
  })

  it('reads SVG width/height or viewBox, and refuses scripts and external references', () => {
    const ok = inspectLogo(
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100"><circle r="40"/></svg>'),
      'image/svg+xml',
    )
    assert.deepEqual([ok.type, ok.width, ok.height, ok.problems], ['svg', 100, 100, []])
    const script = inspectLogo(
      Buffer.from('<svg width="100" height="100"><script>alert(1)</script></svg>'),
      'image/svg+xml',
    )
    assert.match(script.problems.join(), /<script>/)
    const ext = inspectLogo(
      Buffer.from('<svg width="100" height="100"><image href="https://evil.example/x.png"/></svg>'),
      'image/svg+xml',
    )
    assert.match(ext.problems.join(), /external references \(https:\/\/evil.example\/x.png\)/)
    const handler = inspectLogo(Buffer.from('<svg width="100" height="100" onload="x()"></svg>'), 'image/svg+xml')
    assert.match(handler.problems.join(), /event-handler/)
    const local = inspectLogo(Buffer.from('<svg width="100" height="100"><use href="#a"/></svg>'), 'image/svg+xml')
    assert.deepEqual(local.problems, [], 'a fragment reference stays inside the document')
  })

  it('refuses small, oblong, mislabelled and non-image bodies', () => {
    assert.match(inspectLogo(png(32, 32), 'image/png').problems.join(), /at least 64/)
    assert.match(inspectLogo(png(300, 100), 'image/png').problems.join(), /square/)
    assert.match(inspectLogo(png(128, 128), 'text/html').problems.join(), /server said text\/html/)
    const html = inspectLogo(Buffer.from('<html><body>hi</body></html>'), 'image/png')
    assert.equal(html.type, null)
    assert.match(html.problems.join(), /not a PNG, JPEG or SVG/)
    assert.match(inspectLogo(Buffer.from([0xff, 0xd8, 0xff, 0x00]), 'image/jpeg').problems.join(), /cannot be read/)
  })

  it('digests in the RFC 9795 rcdi form', () => {
    const b = png(64, 64)
    assert.equal(rcdiDigest(b), `sha256-${createHash('sha256').update(b).digest('base64')}`)
    assert.equal(inspectLogo(b, 'image/png').digest, rcdiDigest(b))
  })
})
