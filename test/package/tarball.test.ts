/**
 * What users install, made from a temporary copy of this checkout (never its own dist/): a clone
 * installed as a folder builds itself into a cleared dist/, the tarball holds the build and nothing
 * else, its declarations import files that exist beside them, its exports and its CLI work without the
 * `tessera-session-source` condition, and a built dist/ next to the sources changes nothing for the
 * typecheck and the linter.
 */
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { promisify } from 'node:util'
import { createProject, npmEnv, type Project } from './project.ts'
import { copyCheckout, type Packed, pack } from './tarball.ts'

const run = promisify(execFile)

/** A file an older build left in dist/, planted in the copy before it builds. */
const STALE = join('adapters', 'removed-adapter.js')

interface Manifest {
  exports: Record<string, Record<string, string>>
  bin: Record<string, string>
  repository?: { url: string }
  homepage?: string
  license?: string
}

/** Every file under `dir`, as paths relative to it. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1))
}

describe('the package, built and packed from a copy of this checkout', { timeout: 600_000 }, () => {
  let copy = ''
  let manifest: Manifest
  let fromClone: Project | undefined
  let alone: Project | undefined
  let packed: Packed
  before(async () => {
    copy = copyCheckout()
    mkdirSync(dirname(join(copy, 'dist', STALE)), { recursive: true })
    writeFileSync(join(copy, 'dist', STALE), 'export const removed = true\n')
    manifest = JSON.parse(readFileSync(join(copy, 'package.json'), 'utf8'))
    // `npm install <folder>` links the folder and runs its `prepare`: the build, into the copy.
    fromClone = await createProject('clone', [copy], { runScripts: true })
    packed = await pack(copy, { runScripts: false })
    alone = await createProject('alone', [packed.tarball])
  })
  after(() => {
    fromClone?.remove()
    alone?.remove()
    rmSync(copy, { recursive: true, force: true })
  })

  it('builds dist/ through `prepare` when a clone is installed as a folder', () => {
    const installed = join(fromClone?.dir ?? '', 'node_modules', 'tessera-session')
    assert.ok(existsSync(join(installed, 'dist', 'index.js')), 'no dist/index.js: did prepare run?')
  })

  it('clears dist/ before it builds, so no file of an older build ships', () => {
    assert.equal(existsSync(join(copy, 'dist', 'index.js')), true)
    assert.equal(existsSync(join(copy, 'dist', STALE)), false)
    assert.deepEqual(
      packed.files.filter((file) => file.endsWith('removed-adapter.js')),
      [],
    )
  })

  // tsc rewrites `./x.ts` to `./x.js` in the JavaScript it emits but not in declarations
  // (microsoft/TypeScript#61037); TypeScript 4.9 rejects a `.ts` import in a `.d.ts` (TS2691) and
  // reads the package as `any`. The build rewrites them (scripts/declaration-imports.ts).
  it('ships declarations whose relative imports name a .js file with its .d.ts beside it', () => {
    const dist = join(copy, 'dist')
    const declarations = filesUnder(dist).filter((file) => file.endsWith('.d.ts'))
    let checked = 0
    const unresolved: string[] = []
    for (const file of declarations) {
      const text = readFileSync(join(dist, file), 'utf8')
      for (const [, specifier = ''] of text.matchAll(/['"](\.{1,2}\/[^'"\n]*)['"]/g)) {
        checked++
        const declaration = join(dist, dirname(file), specifier.replace(/\.js$/, '.d.ts'))
        if (!specifier.endsWith('.js') || !existsSync(declaration)) unresolved.push(`${file}: ${specifier}`)
      }
    }
    assert.ok(checked > 100, `only ${checked} relative imports in ${declarations.length} declaration files`)
    assert.deepEqual(unresolved, [])
  })

  it('ships dist/, LICENSE, README.md and package.json with repository and homepage', () => {
    const unexpected = packed.files.filter(
      (file) =>
        !/^dist\/.+\.(js|d\.ts)$/.test(file) && !['LICENSE', 'README.md', 'package.json'].includes(file),
    )
    assert.deepEqual(unexpected, [])
    for (const file of ['LICENSE', 'README.md', 'package.json']) assert.ok(packed.files.includes(file), file)
    assert.deepEqual(
      packed.files.filter((file) => file.includes('.test.')),
      [],
    )
    assert.match(readFileSync(join(copy, 'LICENSE'), 'utf8'), /MIT License[\s\S]*2026 tessera contributors/)
    assert.equal(manifest.license, 'MIT')
    assert.match(manifest.repository?.url ?? '', /github\.com\/tessera-session\/tessera-session/)
    assert.match(manifest.homepage ?? '', /github\.com\/tessera-session\/tessera-session/)
  })

  // Decision: no source maps. tsc's ES2022 output is the source minus its types, comments kept, so a
  // stack trace into dist/ reads as it is; maps would point at src/, which the tarball does not ship.
  it('ships no source maps, and no file points at one', () => {
    assert.deepEqual(
      packed.files.filter((file) => file.endsWith('.map')),
      [],
    )
    const dist = join(copy, 'dist')
    const pointing = filesUnder(dist).filter((file) =>
      readFileSync(join(dist, file), 'utf8').includes('sourceMappingURL'),
    )
    assert.deepEqual(pointing, [])
  })

  it('has the JavaScript and the types of every export, and the CLI', () => {
    const targets = Object.values(manifest.exports).flatMap((entry) => [entry.types, entry.default])
    for (const target of [...targets, ...Object.values(manifest.bin)]) {
      assert.ok(
        target && packed.files.includes(target.replace(/^\.\//, '')),
        `${target} is not in the tarball`,
      )
    }
  })

  it('loads every export from dist/ without the source condition', async () => {
    const names = Object.keys(manifest.exports).map((subpath) => `tessera-session${subpath.slice(1)}`)
    const script = `for (const n of ${JSON.stringify(names)}) { const m = await import(n); if (Object.keys(m).length === 0) throw new Error(n + ' exports nothing') }`
    // In the copy, whose node_modules has every framework and driver: the package imports itself.
    await run(process.execPath, ['--input-type=module', '-e', script], { cwd: copy })
  })

  it('runs as `npx tessera-session` in a project that installed the tarball', async () => {
    const npx = (...args: string[]) =>
      run('npx', ['--no', 'tessera-session', ...args], { cwd: alone?.dir, env: npmEnv() })
    const secret = (await npx('secret')).stdout.trim()
    assert.equal(Buffer.from(secret, 'base64').length, 32)
    const cookie = (await npx('sign', '{"user":"ada"}', '--secret', secret)).stdout.trim()
    assert.match((await npx('verify', cookie, '--secret', secret)).stdout, /"user": ?"ada"/)
  })

  it('gives stack traces that point at the line that threw, in dist/', async () => {
    const script = `import { createSessionEngine } from 'tessera-session'
try { createSessionEngine({ secretKey: 'short' }) } catch (error) { console.log(error.stack) }`
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: alone?.dir })
    const frame = /\((file:\/\/\/.*\/node_modules\/tessera-session\/dist\/[^:]+):(\d+):\d+\)/.exec(stdout)
    assert.ok(frame, `no frame in the installed dist/:\n${stdout}`)
    const [, url = '', line = ''] = frame
    assert.match(
      readFileSync(new URL(url), 'utf8').split('\n')[Number(line) - 1] ?? '',
      /throw new ConfigError/,
    )
  })

  // `npm test` runs the typecheck and the linter after `npm pack`, `npm run build` or an install left
  // a dist/ here. The copy has one now.
  it('keeps a built dist/ out of the typecheck and the linter', async () => {
    const tsc = join(copy, 'node_modules', 'typescript', 'bin', 'tsc')
    const { stdout: program } = await run(process.execPath, [tsc, '-p', 'tsconfig.json', '--listFilesOnly'], {
      cwd: copy,
      maxBuffer: 16 * 1024 * 1024,
    })
    // Reading dist/ means `tessera-session/...` resolved to the build instead of src/: the
    // `tessera-session-source` condition must come before `types` in every export.
    const fromDist = program.split('\n').filter((file) => file.startsWith(join(copy, 'dist')))
    assert.deepEqual(fromDist, [])
    const biome = join(copy, 'node_modules', '@biomejs', 'biome', 'bin', 'biome')
    const lint = await run(process.execPath, [biome, 'check', '--no-errors-on-unmatched', 'dist'], {
      cwd: copy,
    })
    assert.match(lint.stderr, /Checked 0 files/)
  })
})
