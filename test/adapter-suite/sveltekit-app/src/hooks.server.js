// The adapter's hook comes from the test through `platform`: one built app serves every engine the
// suite starts, and the adapter keeps the suite's module graph (its error classes among them).
export const handle = ({ event, resolve }) => event.platform.handle({ event, resolve })
