// The suite's SvelteKit app: built once per test run into a directory of its own (see ../apps/sveltekit.ts).
export default { kit: {} }
