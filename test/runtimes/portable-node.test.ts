/**
 * The portable codec is the same codec: the codec's and the CLI's own tests (itsdangerous vectors,
 * Starlette cookies minted by Python, the cache, the key derivations...) pass again on Node with
 * `#crypto` and `#base64` resolved to the portable implementations (the `tessera-portable`
 * condition), the ones Workers and Deno bundles get.
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { describe, it } from 'node:test'

const root = new URL('../..', import.meta.url).pathname
const PORTABLE = ['--conditions=tessera-session-source', '--conditions=tessera-portable']

describe('the codec on its portable implementations, on Node', () => {
  it('resolves #crypto and #base64 to them under the tessera-portable condition', () => {
    const script = "console.log(import.meta.resolve('#crypto'), import.meta.resolve('#base64'))"
    const out = spawnSync(process.execPath, [...PORTABLE, '--input-type=module', '-e', script], {
      cwd: root,
      encoding: 'utf8',
    })
    assert.equal(out.status, 0, out.stderr)
    assert.match(out.stdout, /src\/codec\/crypto\/portable\.ts \S*src\/codec\/base64\/portable\.ts/)
  })

  it('passes every codec and CLI test', () => {
    const files = ['src/codec', 'src/codec/crypto', 'src/cli'].flatMap((folder) =>
      readdirSync(`${root}${folder}`)
        .filter((file) => file.endsWith('.test.ts'))
        .map((file) => `${folder}/${file}`),
    )
    assert.ok(files.length >= 8, files.join(' '))
    // Without NODE_TEST_CONTEXT, which would make the inner runner report to this one instead of printing.
    const { NODE_TEST_CONTEXT: _, ...env } = process.env
    const run = spawnSync(process.execPath, [...PORTABLE, '--import', 'tsx', '--test', ...files], {
      cwd: root,
      encoding: 'utf8',
      env,
    })
    assert.equal(run.status, 0, `${run.stdout.slice(-4000)}\n${run.stderr}`)
    assert.match(run.stdout, /# fail 0/)
  })
})
