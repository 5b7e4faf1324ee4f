/**
 * What users install: the package builds, and every subpath export resolves to compiled JavaScript
 * with its types, without the `tessera-session-source` condition the rest of the tests use.
 */
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { describe, it } from 'node:test'

const root = new URL('..', import.meta.url).pathname
const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as {
  exports: Record<string, { types: string; default: string }>
  bin: Record<string, string>
}

describe('the published package', () => {
  it('builds, and every export and the CLI load from dist', () => {
    execFileSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, '-p', 'tsconfig.build.json'], {
      cwd: root,
    })
    const names = Object.keys(pkg.exports).map((subpath) => `tessera-session${subpath.slice(1)}`)
    for (const entry of Object.values(pkg.exports)) {
      assert.ok(existsSync(`${root}${entry.default}`), entry.default)
      assert.ok(existsSync(`${root}${entry.types}`), entry.types)
    }
    const script = `for (const n of ${JSON.stringify(names)}) { const m = await import(n); if (Object.keys(m).length === 0) throw new Error(n + ' exports nothing') }`
    execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, stdio: 'pipe' })
    const cli = execFileSync(process.execPath, [`${root}${pkg.bin['tessera-session']}`, 'secret'], {
      encoding: 'utf8',
    })
    assert.equal(Buffer.from(cli.trim(), 'base64').length, 32)
  })
})
