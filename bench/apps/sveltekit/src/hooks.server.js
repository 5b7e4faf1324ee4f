// The variant's `handle` (bare, tessera, a reference) comes from bench/apps/sveltekit.ts through
// `platform`: one build serves every variant.
export const handle = ({ event, resolve }) => event.platform.handle({ event, resolve })
