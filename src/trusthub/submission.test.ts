/** Evaluation and submission without HTTP, on both stores: the review keeps the evaluation it was judged by. */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { DIALECTS } from '../../test/helpers/dialects.js'
import { addProfile, openWorld, type World } from '../../test/helpers/trusthub-store.js'
import { evaluateBundle, submitBundle } from './submission.js'
import { findBundleForOperator, latestEvaluation, type BundleRow } from '../store/bundles.repo.js'
import { latestReview } from '../store/reviews.repo.js'
import { loadAttachments } from '../store/attachments.repo.js'
import { PENDING_REVIEW } from '../domain/bundle.js'
import { AppError } from '../domain/errors.js'

for (const dialect of DIALECTS) {
  describe(`trusthub submission [${dialect}]`, () => {
    let w: World
    before(async () => {
      w = await openWorld(dialect)
    })
    after(async () => {
      await w.close()
    })

    /** A primary profile with business information and, unless `complete` is false, a representative and an address. */
    const profile = async (complete = true): Promise<BundleRow> => (await addProfile(w, { complete })).profile

    it('an evaluation is stored whatever its verdict', async () => {
      const p = await profile(false)
      const { row, outcome } = await evaluateBundle(w.db, w.env.clock, p)
      assert.equal(outcome.status, 'noncompliant')
      assert.equal((await latestEvaluation(w.db, p.sid))!.sid, row.sid)
    })

    it('a noncompliant bundle is refused with its failures and stays draft', async () => {
      const p = await profile(false)
      const err = await submitBundle(w.db, w.env, 'customer-profile', p, PENDING_REVIEW, {}).then(
        () => undefined,
        (e: unknown) => e,
      )
      assert.ok(err instanceof AppError)
      assert.equal(err.key, 'BUNDLE_NONCOMPLIANT')
      assert.match(err.message, /Authorized Representative 1 end user is missing/)
      assert.equal(err.details!.evaluation_sid, (await latestEvaluation(w.db, p.sid))!.sid)
      assert.equal((await findBundleForOperator(w.db, p.sid))!.status, 'draft')
      assert.equal(await latestReview(w.db, p.sid), undefined)
    })

    it('a compliant bundle goes to pending-review with its edits; the review keeps that evaluation and its check reads it', async () => {
      const p = await profile()
      const after = await submitBundle(w.db, w.env, 'customer-profile', p, PENDING_REVIEW, {
        friendly_name: 'Acme Renamed',
      })
      assert.equal(after.status, PENDING_REVIEW)
      const stored = (await findBundleForOperator(w.db, p.sid))!
      assert.equal(stored.friendly_name, 'Acme Renamed')
      assert.equal(stored.status, PENDING_REVIEW)
      const evaluation = (await latestEvaluation(w.db, p.sid))!
      const review = (await latestReview(w.db, p.sid))!
      const kept = JSON.parse(review.evaluation!)
      assert.equal(kept.sid, evaluation.sid)
      assert.equal(kept.status, 'compliant')
      assert.deepEqual(kept.results, JSON.parse(evaluation.results))
      const check = JSON.parse(review.checks).find((c: { name: string }) => c.name === 'policy_requirements')
      assert.deepEqual(check, {
        name: 'policy_requirements',
        passed: true,
        evidence: `all requirements of Primary Customer Profile of type Business are met (evaluation ${evaluation.sid} is compliant)`,
      })
      await assert.rejects(
        submitBundle(w.db, w.env, 'customer-profile', stored, PENDING_REVIEW, {}),
        /only a draft or twilio-rejected bundle can be submitted/,
      )
    })

    it('the attachments of several bundles load together, each scoped to its bundle', async () => {
      const [a, b] = [await profile(), await profile(false)]
      const all = await loadAttachments(w.db, [a, b])
      // Attachment order is by creation time; two made in one millisecond have no order of their own.
      assert.deepEqual(
        all
          .get(a.sid)!
          .endUsers.map((e) => e.type)
          .sort(),
        ['authorized_representative_1', 'customer_profile_business_information'],
      )
      assert.equal(all.get(a.sid)!.documents.length, 1)
      assert.deepEqual(
        all.get(a.sid)!.addresses.map((x) => x.region),
        ['CA'],
      )
      assert.deepEqual(
        all.get(b.sid)!.endUsers.map((e) => e.type),
        ['customer_profile_business_information'],
      )
      assert.deepEqual(all.get(b.sid)!.documents, [])
    })
  })
}
