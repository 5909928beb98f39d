/** One wizard step's inputs, with allowed values as choices and errors next to each field. */
import { Alert, MultiSelect, Select, SimpleGrid, TextInput } from '@mantine/core'
import { optionLabel, STEP_FIELDS, type StepKey, type Values } from '../fields'
import { useAllowed } from './useAllowed'

export interface StepFieldsProps {
  readonly step: StepKey
  readonly values: Values
  readonly errors: Record<string, string>
  readonly onChange: (name: string, value: string) => void
  /** A field lost focus (the wizard runs the checks that read it). */
  readonly onBlur?: (name: string) => void
  /** Notes under fields, in place of their hint (e.g. the number as it will be saved). */
  readonly notes?: Record<string, string>
  /** Fields the wizard fixes (e.g. business_identity for an ISV). */
  readonly locked?: readonly string[]
  readonly idPrefix: string
}

export function StepFields(p: StepFieldsProps) {
  const allowed = useAllowed()
  return (
    <>
      {p.errors._ && (
        <Alert color="red" role="alert" mb="sm">
          {p.errors._}
        </Alert>
      )}
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        {STEP_FIELDS[p.step].map((f) => {
          const common = {
            key: f.name,
            id: `${p.idPrefix}-${f.name}`,
            label: f.label,
            description: p.notes?.[f.name] ?? f.hint,
            required: !f.optional,
            error: p.errors[f.name],
            disabled: p.locked?.includes(f.name),
            'data-field': f.name,
            onBlur: () => p.onBlur?.(f.name),
          }
          const v = p.values[f.name] ?? ''
          const choices = f.choices
            ? (allowed?.[f.choices] ?? []).map((value) => ({ value, label: optionLabel(f.name, value) }))
            : undefined
          if (choices && f.multi) {
            return (
              <MultiSelect
                {...common}
                data={choices}
                value={v ? v.split(',') : []}
                onChange={(x) => p.onChange(f.name, x.join(','))}
                searchable
              />
            )
          }
          if (choices) {
            return (
              <Select
                {...common}
                data={choices}
                value={v || null}
                onChange={(x) => p.onChange(f.name, x ?? '')}
                searchable
                allowDeselect={false}
              />
            )
          }
          return <TextInput {...common} value={v} onChange={(e) => p.onChange(f.name, e.currentTarget.value)} />
        })}
      </SimpleGrid>
    </>
  )
}
