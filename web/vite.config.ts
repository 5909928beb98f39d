// Production build of the console, served by the API server at /console (see
// src/api/console/static.routes.ts). Hashed names under assets/ let the server cache them
// for a year.
import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'
import { fileURLToPath } from 'node:url'
import { precompress } from './precompress.ts'

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/console/',
  plugins: [react(), precompress()],
  build: { outDir: 'dist', emptyOutDir: true, assetsDir: 'assets', sourcemap: false, chunkSizeWarningLimit: 600 },
  logLevel: 'warn',
  server: {
    proxy: {
      '/v1': 'http://localhost:3000',
      '/2010-04-01': 'http://localhost:3000',
      '/admin': 'http://localhost:3000',
      '/stir': 'http://localhost:3000',
      '/console/api': 'http://localhost:3000',
    },
  },
})
