/**
 * tessera installed in an app's node_modules as users get it: package.json and dist/ built from src/
 * (resolved without the `tessera-session-source` condition), declarations as `npm run build` leaves
 * them. The Next.js test and bench use it.
 */
import { execFile } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

/**
 * Builds the package from `root` (the checkout) into `appDir/node_modules/tessera-session`. An app
 * inside the checkout gets a package.json of its own: without one the checkout's package.json is the
 * app's package scope, and `import 'tessera-session'` resolves to the checkout itself (a package may
 * import itself by name), that is to whatever stale dist/ the checkout has.
 */
export async function installBuiltPackage(root: string, appDir: string): Promise<void> {
  const scope = join(appDir, 'package.json')
  if (!existsSync(scope)) writeFileSync(scope, `${JSON.stringify({ private: true })}\n`)
  const pkg = join(appDir, 'node_modules', 'tessera-session')
  const dist = join(pkg, 'dist')
  mkdirSync(pkg, { recursive: true })
  copyFileSync(join(root, 'package.json'), join(pkg, 'package.json'))
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc')
  await run(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', dist], { cwd: root })
  await run(process.execPath, ['--import', 'tsx', join('scripts', 'declaration-imports.ts'), dist], {
    cwd: root,
  })
}
