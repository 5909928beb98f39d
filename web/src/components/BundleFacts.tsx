/**
 * A bundle's business information, representatives and address as labelled fields: read-only,
 * or editable with the fields a rejection or the API names marked (red border and message).
 */
import { Card, SimpleGrid, Text, Title } from '@mantine/core'
import { STEP_FIELDS, type StepKey, type Values } from '../fields'
import { addressValues, flat, stepOfType, type Facts } from '../bundle-facts'
import { valueInWords } from '../words'
import { StepFields } from './StepFields'

/** Messages by object SID, then field name. */
export type Marks = Record<string, Record<string, string>>

const TITLE: Readonly<Record<string, string>> = {
  customer_profile_business_information: 'Business information',
  authorized_representative_1: 'Authorized representative',
  authorized_representative_2: 'Second authorized representative',
}

function ReadOnly({ step, values }: { step: StepKey; values: Values }) {
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }} component="dl" spacing="xs" verticalSpacing="xs" m={0}>
      {STEP_FIELDS[step]
        .filter((f) => values[f.name])
        .map((f) => (
          <div key={f.name}>
            <Text component="dt" size="sm" c="dimmed">
              {f.label}
            </Text>
            <Text component="dd" m={0} style={{ overflowWrap: 'anywhere' }}>
              {f.choices
                ? values[f.name]!.split(',')
                    .map((v) => valueInWords(v.trim()))
                    .join(', ')
                : values[f.name]}
            </Text>
          </div>
        ))}
    </SimpleGrid>
  )
}

interface BundleFactsProps {
  readonly facts: Facts
  readonly editable: boolean
  /** The form's values by object SID (formValues(facts) to start). */
  readonly values: Record<string, Values>
  readonly onChange: (sid: string, name: string, value: string) => void
  readonly marks: Marks
}

export function BundleFacts(p: BundleFactsProps) {
  const section = (sid: string, title: string, step: StepKey, stored: Values, locked?: string[]) => (
    <Card withBorder key={sid} data-testid={`facts-${step}`}>
      <Title order={3} size="h4" mb="xs">
        {title}
      </Title>
      {p.editable ? (
        <StepFields
          step={step}
          values={p.values[sid] ?? stored}
          errors={p.marks[sid] ?? {}}
          onChange={(name, value) => p.onChange(sid, name, value)}
          locked={locked}
          idPrefix={`f-${sid.slice(-8)}`}
        />
      ) : (
        <ReadOnly step={step} values={stored} />
      )}
    </Card>
  )
  return (
    <>
      {p.facts.endUsers.map((u) => {
        const step = stepOfType(u.type)
        return step ? section(u.sid, TITLE[u.type] ?? u.friendly_name, step, flat(u.attributes)) : null
      })}
      {p.facts.addresses.map((a) =>
        // The country of an address is fixed once made (as on Twilio).
        section(a.sid, 'Business address', 'address', addressValues(a), ['iso_country']),
      )}
    </>
  )
}
