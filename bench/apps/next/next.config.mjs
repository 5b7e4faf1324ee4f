// The bench app (see bench/lib/built-apps.ts): `npm run bench:typecheck` and lint check its sources,
// so the build skips both to save minutes.
export default {
  typescript: { ignoreBuildErrors: true },
  eslint: { ignoreDuringBuilds: true },
}
