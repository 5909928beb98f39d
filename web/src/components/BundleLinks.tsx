/** A bundle page's links: its profile or trust products, its numbers, and the next step for each. */
import type { MouseEvent } from 'react'
import { Button, Card, List, Stack, Text } from '@mantine/core'
import { navigate } from '../router'
import type { Kind } from '../bundle-facts'
import type { Loaded } from '../bundle-page'
import { BundleLink } from './BundleHistory'

/** The bundles it links or is linked by, and its numbers. */
export function BundleLinks(p: {
  d: Loaded
  kind: Kind
  nameOf: (bu: string) => string
  /** The next step of an approved profile without a trust product. */
  onCreateTrustProduct?: () => void
  busy: boolean
}) {
  const { d, kind, nameOf } = p
  const numbers = Object.values(d.numbers)
  const links = d.facts.linked
  return (
    <Card withBorder>
      <Stack gap="sm">
        {links.length > 0 && (
          <div data-testid="linked-profile">
            <Text fw={600}>{kind === 'TrustProducts' ? 'Business profile' : 'Primary business profile'}</Text>
            {links.map((s) => (
              <BundleLink key={s} sid={s}>
                {nameOf(s)}
              </BundleLink>
            ))}
          </div>
        )}
        {kind === 'CustomerProfiles' && (
          <div data-testid="linked-trust-products">
            <Text fw={600}>Trust products</Text>
            {d.linkedBy.length === 0 ? (
              <>
                <Text c="dimmed">
                  No trust product links this profile yet: calls from its numbers cannot be signed A.
                </Text>
                {p.onCreateTrustProduct && (
                  <Button mt="xs" onClick={p.onCreateTrustProduct} loading={p.busy}>
                    Create the SHAKEN/STIR trust product
                  </Button>
                )}
              </>
            ) : (
              <List>
                {d.linkedBy.map((s) => (
                  <List.Item key={s}>
                    <BundleLink sid={s}>{nameOf(s)}</BundleLink>
                  </List.Item>
                ))}
              </List>
            )}
          </div>
        )}
        <div data-testid="bundle-numbers">
          <Text fw={600}>Phone numbers</Text>
          {numbers.length === 0 ? (
            <Text c="dimmed">No numbers yet.</Text>
          ) : (
            <List>
              {numbers.map((p) => (
                <List.Item key={p}>{p}</List.Item>
              ))}
            </List>
          )}
          <Button
            mt="xs"
            variant="light"
            component="a"
            href="/console/numbers"
            onClick={(e: MouseEvent) => {
              e.preventDefault()
              navigate('/numbers')
            }}
          >
            {numbers.length === 0 ? 'Assign numbers' : 'Manage numbers'}
          </Button>
        </div>
      </Stack>
    </Card>
  )
}
