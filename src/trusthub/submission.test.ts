/** Evaluation and submission without HTTP, on both stores: the review keeps the evaluation it was judged by. */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { DIALECTS } from '../../test/helpers/dialects.js'
import { addProfile, openWorld, refusal, type World } from '../../test/helpers/trusthub-store.js'
import { evaluateBundle, submitBundle } from './submission.js'
import { findBundleForOperator, latestEvaluation, type BundleRow } from '../store/bundles.repo.js'
import { latestReview } from '../store/reviews.repo.js'
import { loadAttachments } from '../store/attachments.repo.js'
import { APPROVED, IN_REVIEW, PENDING_REVIEW, REJECTED, type BundleStatus } from '../domain/bundle.js'
import { changeBundleStatus } from '../vetting/bundle-status.js'
import { copyBundle } from './copies.js'
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

    it('an account submits one primary profile: a second is refused while the first is submitted, rejected or approved; a copy is not a second', async () => {
      const first = await addProfile(w)
      const second = (await addProfile(w, { account: first.acct })).profile
      const third = (await addProfile(w, { account: first.acct })).profile
      await submitBundle(w.db, w.env, 'customer-profile', first.profile, PENDING_REVIEW, {})
      const move = (b: BundleRow, to: BundleStatus) =>
        w.db.transaction().execute((trx) => changeBundleStatus(trx, w.env, b, to, { actor: 'operator' }))
      const refusedBecause = async (status: string) => {
        const err = await refusal(submitBundle(w.db, w.env, 'customer-profile', second, PENDING_REVIEW, {}))
        assert.equal(err.key, 'PRIMARY_PROFILE_EXISTS')
        assert.equal(err.status, 409)
        assert.deepEqual(err.details, { bundle_sid: first.profile.sid, bundle_status: status })
        assert.match(
          err.message,
          new RegExp(`already has Primary Customer Profile ${first.profile.sid} \\(${status}\\)`),
        )
        assert.equal((await findBundleForOperator(w.db, second.sid))!.status, 'draft')
        return err
      }
      await refusedBecause(PENDING_REVIEW)
      let row = await move((await findBundleForOperator(w.db, first.profile.sid))!, IN_REVIEW)
      row = await move(row, REJECTED)
      assert.match((await refusedBecause(REJECTED)).message, /edit it and resubmit it/)
      row = await submitBundle(w.db, w.env, 'customer-profile', row, PENDING_REVIEW, {})
      row = await move(await move(row, IN_REVIEW), APPROVED)
      assert.match((await refusedBecause(APPROVED)).message, /Copies/)
      const copy = await copyBundle(w.db, w.env.clock, row)
      assert.equal(
        (await submitBundle(w.db, w.env, 'customer-profile', copy, PENDING_REVIEW, {})).status,
        PENDING_REVIEW,
      )
      // Another account's primary is no obstacle; drafts of this one stay drafts.
      assert.equal((await findBundleForOperator(w.db, third.sid))!.status, 'draft')
      const other = await addProfile(w)
      assert.equal(
        (await submitBundle(w.db, w.env, 'customer-profile', other.profile, PENDING_REVIEW, {})).status,
        PENDING_REVIEW,
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
