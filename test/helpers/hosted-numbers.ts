/** Hosted-number order fixtures: the form of an order whose LOA matches the onboarding helpers' profile. */
import { http, type Creds } from './http.js'

export const ORDERS = '/v2/HostedNumber/Orders'
export const DOCS = '/v2/HostedNumber/AuthorizationDocuments'

/**
 * The form of an order for `phone` at address `ad`, signed by the representative of
 * onboarding.ts's profiles (Jane Doe, jane@acme.example.com) and naming the current carrier.
 */
const orderForm = (phone: string, ad: string, over: Record<string, string> = {}) => ({
  PhoneNumber: phone,
  ContactPhoneNumber: '+14155550100',
  AddressSid: ad,
  Email: 'jane@acme.example.com',
  ContactTitle: 'CEO',
  ContactName: 'Jane Doe',
  CurrentCarrier: 'Old Telco',
  CarrierAccountNumber: '555-0001',
  FriendlyName: 'Main line',
  ...over,
})

/** Files an order as `c`; returns the answer. */
export function fileOrder(url: string, c: Creds, phone: string, ad: string, over: Record<string, string> = {}) {
  return http(url, 'POST', ORDERS, { auth: c, form: orderForm(phone, ad, over) })
}
