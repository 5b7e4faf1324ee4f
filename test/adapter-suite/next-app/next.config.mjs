// The suite's Next.js app: built once per test run into a directory of its own (see ../apps/next.ts).
// The repository type-checks and lints the route; the build skips both to save time.
export default {
  typescript: { ignoreBuildErrors: true },
  eslint: { ignoreDuringBuilds: true },
}
