// Every bench endpoint as one catch-all endpoint; the answers come from bench/apps/sveltekit.ts
// through `platform`.
export const GET = (event) => event.platform.respond(event)
