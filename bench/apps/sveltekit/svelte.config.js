// The bench's SvelteKit app: built once per run in a directory of its own (bench/lib/built-apps.ts).
export default { kit: {} }
