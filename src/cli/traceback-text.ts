/** The traceback answer (POST /admin/v1/traceback) as text a person reads or pastes into a reply. */

/** `label` padded to the column the values start at. */
const row = (label: string, value: string) => `${label.padEnd(16)}${value}`
const joined = (...parts: (string | null | undefined)[]) => parts.filter((p) => p).join(', ')

function postal(a: any): string {
  return joined(a.street, a.street_secondary, a.city, `${a.region} ${a.postal_code}`, a.iso_country)
}

function person(r: any): string {
  return joined([r.first_name, r.last_name].filter(Boolean).join(' '), r.business_title, r.email, r.phone_number)
}

function business(p: any): string[] {
  if (!p) return [row('Business', 'no business profile held the decision')]
  const lines = [
    row(
      'Business',
      `${p.legal_name ?? '(no legal name)'}  (profile ${p.sid}, ${p.status}, valid until ${p.valid_until ?? '—'})`,
    ),
    row('Registration', joined(p.registration_type, p.registration_number) || '—'),
  ]
  for (const a of p.addresses) lines.push(row('Address', postal(a)))
  for (const r of p.authorized_representatives) lines.push(row('Representative', person(r)))
  lines.push(row('Contact', p.contact_email))
  return lines
}

function number(n: any): string[] {
  if (!n) return []
  const held = n.held
    ? `held by ${n.held.account_sid} as ${n.held.sid}, origin ${n.held.origin} now`
    : 'held by no account now'
  const lines = [row('Number', `${n.phone_number}  origin ${n.origin_as_recorded ?? '—'} when signed; ${held}`)]
  const o = n.hosted_number_order
  if (o) {
    lines.push(
      row('  LOA order', `${o.sid} ${o.status}: signed by ${joined(o.contact_name, o.contact_title, o.email)}`),
      row(
        '  Carrier',
        joined(o.current_carrier, o.carrier_account_number && `account ${o.carrier_account_number}`) || '—',
      ),
    )
    if (n.loa_address) lines.push(row('  LOA address', postal(n.loa_address)))
    const d = n.authorization_document
    if (d) lines.push(row('  LOA document', `${d.sid} ${d.status}, ${d.email}`))
  }
  return lines
}

/** Every line of the answer. */
export function tracebackText(t: any): string {
  if (t.signed_by_this_platform === false) return `NOT signed by this platform: ${t.reason}`
  const lines: string[] = []
  const s = t.signature
  if (s)
    lines.push(row('Signed by us', `certificate ${s.certificate_sid} (${s.certificate_status}), SPC ${s.spc ?? '—'}`))
  if (t.note) lines.push(row('Note', t.note))
  for (const c of t.calls)
    lines.push(
      row(
        'Call',
        `${c.sid}  ${c.date_created}  ${c.transport}  ${c.from} → ${c.to.join(',')}  attest ${c.attest ?? '—'}`,
      ),
    )
  const a = t.account
  lines.push(row('Account', a ? `${a.sid}  ${a.friendly_name}  (${a.status})` : '—'))
  const p = t.parent_account
  if (p) lines.push(row('Parent', `${p.sid}  ${p.friendly_name}  (${p.status})`))
  lines.push(...business(t.business_profile))
  const tp = t.trust_product
  if (tp) lines.push(row('Trust product', `${tp.sid}  ${tp.status}, valid until ${tp.valid_until ?? '—'}`))
  lines.push(...number(t.number))
  const d = t.decision
  if (d) {
    lines.push(row('Decision', `${d.attest ?? 'not signed'}  (${d.rule ?? '—'})`), 'Why:')
    for (const r of d.reasons) lines.push(`  - ${r}`)
  }
  return lines.join('\n')
}
