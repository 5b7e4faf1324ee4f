import { sveltekit } from '@sveltejs/kit/vite'
import { defaultServerConditions, defineConfig } from 'vite'

export default defineConfig({
  plugins: [sveltekit()],
  logLevel: 'warn',
  // In this repository `tessera-session` is its own TypeScript sources (the `tessera-session-source`
  // condition), bundled into the server build; an app gets the built package from npm instead.
  ssr: {
    noExternal: ['tessera-session'],
    resolve: { conditions: ['tessera-session-source', ...defaultServerConditions] },
  },
})
