/** The result of a policy evaluation, in Twilio's `results[]` shape: types only, shared by the evaluator and the bundle rules. */

export interface FieldValid {
  readonly friendly_name: string
  readonly object_field: string
  readonly passed: true
  readonly failure_reason: null
  readonly error_code: null
}
export interface FieldInvalid {
  readonly friendly_name: string
  readonly object_field: string
  readonly failure_reason: string
  readonly error_code: number
}

/** One `results[]` item, exactly Twilio's shape. */
export interface ResultItem {
  readonly friendly_name: string
  readonly object_type: string
  readonly requirement_name: string
  readonly requirement_friendly_name: string
  readonly passed: boolean
  readonly failure_reason: string | null
  readonly error_code: number | null
  readonly valid: readonly FieldValid[]
  readonly invalid: readonly FieldInvalid[]
}

type EvaluationStatus = 'compliant' | 'noncompliant'

export interface EvaluationOutcome {
  readonly status: EvaluationStatus
  readonly results: readonly ResultItem[]
}

/** The evaluation a submission was judged by, as its review keeps it (`sid` null when none was stored as EL…). */
export interface SubmittedEvaluation extends EvaluationOutcome {
  readonly sid: string | null
  readonly date_created: string
}
