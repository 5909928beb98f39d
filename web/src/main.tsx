import React from 'react'
import { createRoot } from 'react-dom/client'
import { MantineProvider, createTheme } from '@mantine/core'
import '@mantine/core/styles.css'
import { App } from './App'

// Default Mantine blue on white passes WCAG AA contrast for text and buttons.
const theme = createTheme({ primaryColor: 'blue', defaultRadius: 'sm' })

createRoot(document.getElementById('root')!).render(
  <React.StrictMode>
    <MantineProvider theme={theme} defaultColorScheme="light">
      <App />
    </MantineProvider>
  </React.StrictMode>,
)
