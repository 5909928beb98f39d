/**
 * Twilio's Trust Hub policy SIDs, the same on every install. Pure data with no imports, so the
 * console (web/) takes them from here too.
 */
export const POLICY = Object.freeze({
  PRIMARY_PROFILE: 'RN6433641899984f951173ef1738c3bdd0',
  SECONDARY_PROFILE: 'RNdfbf3fae0e1107f8aded0e7cead80bf5',
  SHAKEN_STIR: 'RN7a97559effdf62d00f4298208492a5ea',
  CNAM: 'RNf3db3cd1fe25fcfd3c3ded065c8fea53',
  VOICE_INTEGRITY: 'RN5b3660f9598883b1df4e77f77acefba0',
  /** Twilio publishes no SID for Branded Calls' policy: this one is stirhub's (docs/branding.md). */
  BRANDED_CALLS: 'RNb7a4c2e9d1f04c6a8e3b5d7f9a1c3e5b',
})
