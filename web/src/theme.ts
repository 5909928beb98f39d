/**
 * The console's theme, tuned for WCAG 2.1 AA contrast (4.5:1 for text): Mantine's defaults
 * put grey text at 3.3:1 and white on its blue at 3.6:1. Filled colours use shade 8 with
 * automatic black-or-white text; "light" badges and buttons use a text colour darkened until
 * it reaches 4.6:1 on its own tinted background (computed once from Mantine's palette).
 */
import { createTheme, Table, type CSSVariablesResolver } from '@mantine/core'

export const theme = createTheme({
  primaryColor: 'blue',
  primaryShade: { light: 8, dark: 8 },
  autoContrast: true,
  // Below this luminance a filled colour takes white text, above it black: with shade 8 this
  // keeps both at ≥ 4.5:1 for every palette colour.
  luminanceThreshold: 0.185,
  defaultRadius: 'sm',
  components: {
    // A table wider than a phone scrolls sideways inside its container: a plain scrolling div
    // that takes keyboard focus, so it can be scrolled without a mouse (WCAG 2.1.1).
    TableScrollContainer: Table.ScrollContainer.extend({ defaultProps: { type: 'native', tabIndex: 0 } }),
  },
})

/** Text colour of each palette's "light" variant: ≥ 4.6:1 on that variant's background. */
const LIGHT_TEXT: Readonly<Record<string, string>> = {
  dark: '#141414',
  gray: '#212529',
  red: '#c92a2a',
  pink: '#a61e4d',
  grape: '#862e9c',
  violet: '#5f3dc4',
  indigo: '#364fc7',
  blue: '#1864ab',
  cyan: '#0b7285',
  teal: '#077856',
  green: '#267c37',
  lime: '#497709',
  yellow: '#a75500',
  orange: '#c3400d',
}

export const contrastVariables: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': '#5c636a',
    // Field errors (text and border): red.6 is 3.3:1 on white, red.9 is 5.9:1.
    '--mantine-color-error': '#c92a2a',
    ...Object.fromEntries(Object.entries(LIGHT_TEXT).map(([c, hex]) => [`--mantine-color-${c}-light-color`, hex])),
    // A hovered "light" item (the current page's link under the pointer) lightens to shade 0
    // instead of darkening to shade 2, where its text falls to 4.0:1.
    ...Object.fromEntries(
      Object.keys(LIGHT_TEXT).map((c) => [`--mantine-color-${c}-light-hover`, `var(--mantine-color-${c}-0)`]),
    ),
  },
  dark: {},
})
