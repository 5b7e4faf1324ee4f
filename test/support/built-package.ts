/**
 * tessera installed in an app's node_modules as users get it: package.json and dist/ built from src/
 * (resolved without the `tessera-session-source` condition). The Next.js test and bench use it.
 */
import { execFile } from 'node:child_process'
import { copyFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'

/** Builds the package from `root` (the checkout) into `appDir/node_modules/tessera-session`. */
export async function installBuiltPackage(root: string, appDir: string): Promise<void> {
  const pkg = join(appDir, 'node_modules', 'tessera-session')
  mkdirSync(pkg, { recursive: true })
  copyFileSync(join(root, 'package.json'), join(pkg, 'package.json'))
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc')
  await promisify(execFile)(
    process.execPath,
    [tsc, '-p', 'tsconfig.build.json', '--outDir', join(pkg, 'dist')],
    {
      cwd: root,
    },
  )
}
