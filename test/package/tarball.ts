/**
 * The package as users get it, made without touching this checkout: its files are copied to a fresh
 * temporary folder (a stand-in for a clone), and `npm pack` runs there, so the build writes into the
 * copy's dist/, never into the repository's.
 */
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import {
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { npm } from './project.ts'

/** The repository the tests run from. */
const root = fileURLToPath(new URL('../..', import.meta.url))

/**
 * The files a clone of this checkout would have, as it stands: tracked, and new files not ignored (no
 * dist/, no node_modules/). A tracked file deleted in the working tree is still listed by git, and a
 * worktree's node_modules may be an unignored symlink: only regular files are kept.
 */
function checkoutFiles(): string[] {
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: root,
    encoding: 'utf8',
  })
  return listed
    .split('\0')
    .filter((file) => file !== '' && lstatSync(join(root, file), { throwIfNoEntry: false })?.isFile())
    .sort()
}

/**
 * Copies the checkout's files to a new folder in the system's temporary directory, and links its
 * node_modules so the copy builds with the same TypeScript. The caller removes it.
 */
export function copyCheckout(): string {
  const copy = mkdtempSync(join(tmpdir(), 'tessera-session-checkout-'))
  for (const file of checkoutFiles()) {
    mkdirSync(dirname(join(copy, file)), { recursive: true })
    copyFileSync(join(root, file), join(copy, file))
  }
  symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'))
  return copy
}

/** What `npm pack --json` says about the tarball it wrote. */
export interface Packed {
  /** Absolute path of the .tgz. */
  tarball: string
  /** Paths inside the package, sorted. */
  files: string[]
}

/**
 * `npm pack` in `dir`, writing the tarball there. `prepare` (the build) runs unless `runScripts` is
 * false, for a copy that was already built.
 */
export async function pack(
  dir: string,
  { runScripts = true }: { runScripts?: boolean } = {},
): Promise<Packed> {
  const flags = runScripts ? [] : ['--ignore-scripts']
  const output = await npm(['pack', '--json', '--pack-destination', dir, ...flags], dir)
  const [result] = JSON.parse(output) as { filename: string; files: { path: string }[] }[]
  if (result === undefined) throw new Error(`npm pack printed no result:\n${output}`)
  return { tarball: join(dir, result.filename), files: result.files.map((f) => f.path).sort() }
}

/**
 * A tarball of the current sources, built by `prepare` in a temporary copy. Test files share it, and
 * so do later runs while the checkout's files stay the same: it is kept in the temporary directory
 * under the hash of those files, and moved into place with one rename, so a run never sees half a
 * tarball, even with another run packing at the same time.
 */
export async function packedTarball(): Promise<string> {
  const hash = createHash('sha256')
  for (const file of checkoutFiles()) hash.update(`${file}\0`).update(readFileSync(join(root, file)))
  const cached = join(tmpdir(), 'tessera-session-tarballs', `${hash.digest('hex').slice(0, 16)}.tgz`)
  if (existsSync(cached)) return cached
  const copy = copyCheckout()
  try {
    const { tarball } = await pack(copy)
    mkdirSync(dirname(cached), { recursive: true })
    renameSync(tarball, cached)
    return cached
  } finally {
    rmSync(copy, { recursive: true, force: true })
  }
}
