import type { PhoneNumberRow } from '../../store/numbers.repo.js'
import { toRfc2822 } from '../../domain/time.js'

/**
 * Twilio's 2010 IncomingPhoneNumber shape (every field twilio-node's IncomingPhoneNumberInstance
 * reads is present). Voice/SMS routing is not this platform's job, so those fields are null;
 * the number is always `in-use` while held, with voice capability (it is signed for).
 * `origin` keeps Twilio's meaning (`hosted`, or `twilio` for the platform's own numbers);
 * `right_to_use_origin`, an extension, says where the holder's right to use it comes from
 * (inventory, operator, hosted or unverified: src/domain/number-origin.ts).
 */
export function presentNumber(n: PhoneNumberRow) {
  const uri = `/2010-04-01/Accounts/${n.account_sid}/IncomingPhoneNumbers/${n.sid}.json`
  return {
    sid: n.sid,
    account_sid: n.account_sid,
    phone_number: n.phone_number,
    friendly_name: n.friendly_name,
    capabilities: { voice: true, sms: false, mms: false, fax: false },
    status: 'in-use',
    origin: n.origin === 'hosted' ? 'hosted' : 'twilio',
    right_to_use_origin: n.origin,
    type: 'local',
    beta: false,
    api_version: '2010-04-01',
    address_sid: null,
    address_requirements: 'none',
    identity_sid: null,
    bundle_sid: null,
    trunk_sid: null,
    emergency_status: 'Inactive',
    emergency_address_sid: null,
    emergency_address_status: 'unregistered',
    status_callback: n.status_callback,
    status_callback_method: 'POST',
    sms_application_sid: null,
    sms_fallback_method: 'POST',
    sms_fallback_url: null,
    sms_method: 'POST',
    sms_url: null,
    voice_application_sid: null,
    voice_caller_id_lookup: false,
    voice_fallback_method: 'POST',
    voice_fallback_url: null,
    voice_method: 'POST',
    voice_url: null,
    voice_receive_mode: 'voice',
    date_created: toRfc2822(n.date_created),
    date_updated: toRfc2822(n.date_updated),
    uri,
    subresource_uris: { assigned_add_ons: uri.replace(/\.json$/, '/AssignedAddOns.json') },
  }
}
