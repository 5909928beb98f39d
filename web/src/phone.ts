/** Phone numbers as people read them: NANP numbers as `+1 310-555-0177`, others as given. */
export function formatNumber(e164: string): string {
  const m = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(e164)
  return m ? `+1 ${m[1]}-${m[2]}-${m[3]}` : e164
}
