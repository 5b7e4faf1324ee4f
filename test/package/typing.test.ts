/**
 * Typed sessions from any import: an app declares its session once in a `session.d.ts`
 * (`declare module 'tessera-session' { interface Register ... }`, the express-session pattern) and
 * imports nothing but its adapter. Compiled with tsc in a fresh project that installed the tarball,
 * under each module resolution an app may use, a correct access compiles and wrong ones are errors:
 * the check fails if the session silently degrades to `unknown` or `any`. One more app, with its data
 * typed explicitly, compiles with `skipLibCheck` off: every shipped declaration file must resolve its
 * imports and check under each resolution.
 */
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { createProject, type Project, pinned } from './project.ts'
import { packedTarball } from './tarball.ts'

const TSC = fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url))

// A module (the `export {}`), as a declaration file that augments a package must be.
const SESSION_D_TS = `export {}

declare module 'tessera-session' {
  interface Register {
    sessionData: { user?: string; visits?: number }
  }
}
`

// Each app: `user` reads as `string | undefined`; an unknown key, a wrong value type and a guard on an
// unknown key must be errors (an unused @ts-expect-error is one).
const APPS = {
  express: `import express from 'express'
import { requireKey, sessions } from 'tessera-session/express'

const app = express()
app.use(sessions({ secretKey: process.env.SECRET_KEY ?? '' }))
app.get('/me', requireKey('user'), (req, res) => {
  const user: string | undefined = req.session.get('user')
  // @ts-expect-error 'usr' is not a key of the registered session
  req.session.get('usr')
  // @ts-expect-error visits is a number
  req.session.set('visits', 'many')
  // @ts-expect-error user is a string
  const wrong: number | undefined = req.session.get('user')
  res.json({ user, wrong })
})
// @ts-expect-error a guard takes registered keys only
requireKey('usr')
`,
  fastify: `import Fastify from 'fastify'
import { requireKey, sessions } from 'tessera-session/fastify'

const app = Fastify()
void app.register(sessions, { secretKey: process.env.SECRET_KEY ?? '' })
app.get('/me', { preHandler: requireKey('user') }, async (request) => {
  const user: string | undefined = request.session.get('user')
  // @ts-expect-error 'usr' is not a key of the registered session
  request.session.get('usr')
  // @ts-expect-error visits is a number
  request.session.set('visits', 'many')
  // @ts-expect-error user is a string
  const wrong: number | undefined = request.session.get('user')
  return { user, wrong }
})
// @ts-expect-error a guard takes registered keys only
requireKey('usr')
`,
  koa: `import Koa from 'koa'
import { requireKey, sessions } from 'tessera-session/koa'

const app = new Koa()
app.use(sessions({ secretKey: process.env.SECRET_KEY ?? '' }))
app.use(requireKey('user'))
app.use((ctx) => {
  const user: string | undefined = ctx.session.get('user')
  // @ts-expect-error 'usr' is not a key of the registered session
  ctx.session.get('usr')
  // @ts-expect-error visits is a number
  ctx.session.set('visits', 'many')
  // @ts-expect-error user is a string
  const wrong: number | undefined = ctx.session.get('user')
  ctx.body = { user, wrong }
})
// @ts-expect-error a guard takes registered keys only
requireKey('usr')
`,
  // Only Node's types beside the package, so this one compiles with skipLibCheck off (LIB_CHECKED).
  node: `import { createServer } from 'node:http'
import type { SessionOptions } from 'tessera-session'
import { nodeSessions } from 'tessera-session/node'

const options: SessionOptions = { secretKey: process.env.SECRET_KEY ?? '', sameSite: 'strict' }
// @ts-expect-error not an option
const misspelt: SessionOptions = { secretKey: '', same_site: 'strict' }
// @ts-expect-error sameSite is 'lax', 'strict' or 'none'
const relaxed: SessionOptions = { secretKey: '', sameSite: 'relaxed' }
const sessionOf = nodeSessions<{ user?: string }>(options)
createServer((req, res) => {
  const user: string | undefined = sessionOf(req, res).get('user')
  // @ts-expect-error 'usr' is not a key of the session
  sessionOf(req, res).get('usr')
  res.end(JSON.stringify({ user, misspelt, relaxed }))
})
`,
}

/**
 * Apps compiled with skipLibCheck off, so that an import a shipped `.d.ts` cannot resolve, or a type
 * in it that does not check, is an error here instead of a silent `any`.
 */
const LIB_CHECKED: ReadonlySet<string> = new Set(['node'])

/** `module` for each `moduleResolution` (bundler takes any ESM module setting). */
const RESOLUTIONS = { bundler: 'esnext', node16: 'node16', nodenext: 'nodenext' } as const
type Resolution = keyof typeof RESOLUTIONS

function configName(adapter: string, moduleResolution: Resolution): string {
  return `tsconfig.${adapter}.${moduleResolution}.json`
}

/**
 * Writes one tsconfig per app and resolution (each program is `session.d.ts` and one app, so no other
 * import brings the package root in) and compiles them all with one `tsc --build`, which parses the
 * shared declaration files once. Resolves to each config's diagnostics.
 */
async function typecheckAll(dir: string): Promise<Map<string, string>> {
  const configs: string[] = []
  for (const adapter of Object.keys(APPS)) {
    for (const [moduleResolution, module] of Object.entries(RESOLUTIONS)) {
      const compilerOptions = {
        strict: true,
        noEmit: true,
        target: 'es2022',
        lib: ['es2022'],
        module,
        moduleResolution,
        types: ['node'],
        // As most apps have it; it also keeps third-party typing quirks (@types/koa against its own
        // dependencies' newer types) out of this check.
        skipLibCheck: !LIB_CHECKED.has(adapter),
      }
      const name = configName(adapter, moduleResolution as Resolution)
      writeFileSync(
        join(dir, name),
        JSON.stringify({ compilerOptions, files: ['session.d.ts', `${adapter}.ts`] }),
      )
      configs.push(name)
    }
  }
  const { stdout } = await promisify(execFile)(process.execPath, [TSC, '--build', '--verbose', ...configs], {
    cwd: dir,
  }).catch((error: { stdout: string }) => error)
  // --verbose prints "Building project '<dir>/<config>'..." before each project's diagnostics, and
  // its own lines start with the time ("4:31:29 PM - Project ... is out of date").
  const diagnostics = new Map<string, string>()
  let current: string | undefined
  for (const line of stdout.split('\n')) {
    const building = /Building project '(?:.*\/)?([^'/]+)'/.exec(line)
    if (building) {
      current = building[1] as string
      diagnostics.set(current, '')
    } else if (current !== undefined && !/^\d{1,2}:\d{2}:\d{2}/.test(line) && line.trim() !== '') {
      diagnostics.set(current, `${diagnostics.get(current)}${line}\n`)
    }
  }
  return diagnostics
}

describe('a session type registered in session.d.ts, with only an adapter imported', () => {
  let project: Project | undefined
  let diagnostics = new Map<string, string>()
  before(async () => {
    project = await createProject('typing', [
      await packedTarball(),
      ...['express', '@types/express', 'fastify', 'koa', '@types/koa', '@types/node'].map((name) =>
        pinned(name),
      ),
    ])
    writeFileSync(join(project.dir, 'session.d.ts'), SESSION_D_TS)
    for (const [adapter, code] of Object.entries(APPS))
      writeFileSync(join(project.dir, `${adapter}.ts`), code)
    diagnostics = await typecheckAll(project.dir)
  })
  after(() => {
    project?.remove()
  })

  for (const adapter of Object.keys(APPS)) {
    for (const moduleResolution of Object.keys(RESOLUTIONS) as Resolution[]) {
      it(`${adapter}, moduleResolution ${moduleResolution}: compiles, and wrong accesses are errors`, () => {
        const output = diagnostics.get(configName(adapter, moduleResolution))
        assert.notEqual(output, undefined, 'tsc did not build this config')
        assert.doesNotMatch(output ?? '', /error TS/, output)
      })
    }
  }
})
