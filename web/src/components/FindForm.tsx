/** A small search form: a text field and Find (Enter submits too); `children` follow the button. */
import type { ReactNode } from 'react'
import { Button, Group, TextInput, type MantineSpacing } from '@mantine/core'

export function FindForm(p: {
  label: string
  placeholder: string
  value: string
  onChange: (value: string) => void
  onFind: (query: string) => void
  mb?: MantineSpacing
  children?: ReactNode
}) {
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault()
        p.onFind(p.value)
      }}
    >
      <Group gap="xs" align="end" mb={p.mb}>
        <TextInput
          size="xs"
          label={p.label}
          placeholder={p.placeholder}
          value={p.value}
          onChange={(e) => p.onChange(e.currentTarget.value)}
        />
        <Button size="xs" type="submit" variant="light">
          Find
        </Button>
        {p.children}
      </Group>
    </form>
  )
}
