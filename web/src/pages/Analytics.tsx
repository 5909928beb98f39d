/** A customer's inbound calls: who signs the calls verified for its numbers and its sub-accounts', and how they fare. */
import { InboundAnalytics } from '../components/InboundAnalytics'

export default function Analytics() {
  return (
    <InboundAnalytics
      path="/stir/v1/calls/analytics"
      intro="Calls verified for this account and its sub-accounts, by the carrier that signed them (its SPC, from the signing certificate)."
    />
  )
}
