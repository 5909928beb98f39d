/** The operator's inbound calls: every call this platform verified, by signer, level and outcome. */
import { InboundAnalytics } from '../../components/InboundAnalytics'

export default function OperatorAnalytics() {
  return (
    <InboundAnalytics
      path="/admin/v1/calls/analytics"
      intro="Every call this platform verified, for any account or none, by the carrier that signed it (its SPC, from the signing certificate)."
    />
  )
}
