/**
 * SIP trunks: whose calls an INVITE carries, by the SBC it comes from (its source address)
 * and, where several trunks share an SBC, the RFC 4904 trunk group it names.
 */
export interface SipTrunksTable {
  sid: string
  account_sid: string
  friendly_name: string
  /** JSON array of canonical CIDRs (domain/cidr.ts). */
  source_addresses: string
  /** The RFC 4904 `tgrp` label that selects this trunk among those sharing an address; null for none. */
  trunk_group: string | null
  date_created: string
  date_updated: string
}
