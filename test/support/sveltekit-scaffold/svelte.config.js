// The scaffold a SvelteKit quick start goes into (see test/docs.test.ts): what `npx sv create` gives a
// new project, less its demo pages. No adapter: `vite preview` serves the build.
export default { kit: {} }
