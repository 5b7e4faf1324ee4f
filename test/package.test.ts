/**
 * What users install: the package builds, and every subpath export resolves to compiled JavaScript
 * with its types, without the `tessera-session-source` condition the rest of the tests use.
 *
 * The build goes to a package directory of this run's own (package.json and dist/) under .tmp/,
 * not to the checkout's dist/: two runs at once would overwrite each other's files while loading them.
 */
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  exports: Record<string, { types: string; default: string }>
  bin: Record<string, string>
}

describe('the published package', () => {
  // Inside the checkout, so the built files resolve their peer dependencies from its node_modules.
  mkdirSync(join(root, '.tmp'), { recursive: true })
  const dir = mkdtempSync(join(root, '.tmp', 'package-'))
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('builds, and every export and the CLI load from dist', () => {
    copyFileSync(join(root, 'package.json'), join(dir, 'package.json'))
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc')
    execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', join(dir, 'dist')], {
      cwd: root,
    })
    const names = Object.keys(pkg.exports).map((subpath) => `tessera-session${subpath.slice(1)}`)
    for (const entry of Object.values(pkg.exports)) {
      assert.ok(existsSync(join(dir, entry.default)), entry.default)
      assert.ok(existsSync(join(dir, entry.types)), entry.types)
    }
    // Imported by name from inside the package directory: Node resolves a package's own name there.
    const script = `for (const n of ${JSON.stringify(names)}) { const m = await import(n); if (Object.keys(m).length === 0) throw new Error(n + ' exports nothing') }`
    execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: dir, stdio: 'pipe' })
    const cli = execFileSync(process.execPath, [join(dir, pkg.bin['tessera-session'] as string), 'secret'], {
      encoding: 'utf8',
    })
    assert.equal(Buffer.from(cli.trim(), 'base64').length, 32)
  })
})
