/**
 * The package as users get it, made without touching this checkout: its files are copied to a fresh
 * temporary folder (a stand-in for a clone), and `npm pack` runs there, so the build writes into the
 * copy's dist/, never into the repository's.
 */
import { execFileSync } from 'node:child_process'
import { copyFileSync, lstatSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { npm } from './project.ts'

/** The repository this test runs from. */
export const root = fileURLToPath(new URL('../..', import.meta.url))

/**
 * Copies every file git knows here (tracked, and new files not ignored: no dist/, no node_modules/)
 * to a new folder in the system's temporary directory, and links the checkout's node_modules so the
 * copy builds with the same TypeScript. The caller removes it.
 */
export function copyCheckout(): string {
  const copy = mkdtempSync(join(tmpdir(), 'tessera-session-checkout-'))
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: root,
    encoding: 'utf8',
  })
  for (const file of listed.split('\0')) {
    // A tracked file deleted in the working tree is still listed, and a worktree's node_modules may be
    // an unignored symlink: the copy takes the regular files of the working tree.
    if (file === '' || !lstatSync(join(root, file), { throwIfNoEntry: false })?.isFile()) continue
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
 * `npm pack` in `dir`, writing the tarball there. `prepare` (the build) runs unless `ignoreScripts`,
 * for a copy that was already built.
 */
export async function pack(dir: string, options: { ignoreScripts?: boolean } = {}): Promise<Packed> {
  const flags = options.ignoreScripts ? ['--ignore-scripts'] : []
  const output = await npm(['pack', '--json', '--pack-destination', dir, ...flags], dir)
  const [result] = JSON.parse(output) as { filename: string; files: { path: string }[] }[]
  if (result === undefined) throw new Error(`npm pack printed no result:\n${output}`)
  return { tarball: join(dir, result.filename), files: result.files.map((f) => f.path).sort() }
}

/**
 * A tarball of the current sources, built by `prepare` in a temporary copy. The copy (and the
 * tarball in it) is removed by `remove()`.
 */
export async function packedTarball(): Promise<{ tarball: string; remove(): void }> {
  const copy = copyCheckout()
  const remove = () => rmSync(copy, { recursive: true, force: true })
  try {
    return { tarball: (await pack(copy)).tarball, remove }
  } catch (error) {
    remove()
    throw error
  }
}
