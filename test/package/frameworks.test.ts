/**
 * Each adapter installs with only its framework: a fresh project gets the packed tarball and one
 * framework (or one store driver, under the stores quick start's Hono), runs the docs' quick start for
 * it (built first where the framework builds: SvelteKit, Next.js), and a session makes a round trip
 * over HTTP: set, then read back with the cookie. About 6 minutes on two loaded cores, most of it
 * `npm install` and the Next.js build.
 */
import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { before, describe, it } from 'node:test'
import pg from 'pg'
import { cookiePair, request } from '../support/http.ts'
import {
  frameworkQuickstart,
  frameworkQuickstartFiles,
  nextQuickstartFiles,
  type QuickstartStore,
  storesQuickstart,
} from '../support/quickstarts.ts'
import { databaseUrl, redisUrl, uniqueName } from '../support/services.ts'
import { build, type Launch, nextScaffold, startApp, sveltekitScaffold, writeFiles } from './apps.ts'
import { createProject, pinned, reuseBuiltAddon } from './project.ts'
import { packedTarball } from './tarball.ts'

/** Signs in through `/login?user=ada`, then reads the user back from `/me` with the cookie it got. */
async function frameworkRoundTrip(url: string): Promise<void> {
  const cookie = cookiePair(await request(`${url}/login?user=ada`))
  assert.deepEqual((await request(`${url}/me`, { cookie })).body, { user: 'ada' })
}

/** The stores quick start's `POST /login` (user alice), `GET /` with the cookie, then `POST /logout`. */
async function storesRoundTrip(url: string): Promise<void> {
  const cookie = cookiePair(await request(`${url}/login`, { json: {} }))
  assert.deepEqual((await request(url, { cookie })).body, { user: 'alice' })
  assert.equal((await request(`${url}/logout`, { cookie, json: {} })).status, 200)
}

const hono = [pinned('hono'), pinned('@hono/node-server')]
const nest = [pinned('@nestjs/common'), pinned('@nestjs/core'), pinned('reflect-metadata'), pinned('rxjs')]

/** A quick start that is one `app.ts`, changed by `edit` where the docs name a variant. */
function oneFile(name: string, launch: Launch = { kind: 'tsx' }, edit = (code: string) => code) {
  return (dir: string): Launch => {
    writeFileSync(join(dir, 'app.ts'), `${edit(frameworkQuickstart(name))}\n`)
    return launch
  }
}

/** Nest's quick start: decorators need `experimentalDecorators`, which tsx reads from tsconfig.json. */
function nestQuickstart(edit?: (code: string) => string) {
  const write = oneFile('nest', { kind: 'tsx' }, edit)
  return (dir: string): Launch => {
    writeFileSync(join(dir, 'tsconfig.json'), '{ "compilerOptions": { "experimentalDecorators": true } }\n')
    return write(dir)
  }
}

/** The variant the Nest quick start names in its comment: `NestFactory.create(AppModule, new FastifyAdapter())`. */
function onFastify(code: string): string {
  const create = 'NestFactory.create(AppModule)'
  if (!code.includes(create)) throw new Error(`the Nest quick start no longer has ${create}`)
  return `import { FastifyAdapter } from '@nestjs/platform-fastify'\n${code.replace(create, 'NestFactory.create(AppModule, new FastifyAdapter())')}`
}

/** SvelteKit's quick start in the scaffold `npx sv create` gives, built by vite, served by `vite preview`. */
async function sveltekitQuickstart(dir: string): Promise<Launch> {
  sveltekitScaffold(dir)
  writeFiles(dir, frameworkQuickstartFiles('sveltekit'))
  const vite = join('node_modules', 'vite', 'bin', 'vite.js')
  await build(dir, [vite, 'build'])
  return {
    kind: 'bin',
    args: (port) => [vite, 'preview', '--host', '127.0.0.1', '--port', `${port}`, '--strictPort'],
  }
}

/** The Next.js App Router quick start, built by `next build`, served by `next start`. */
async function nextQuickstart(dir: string): Promise<Launch> {
  writeFiles(dir, nextQuickstartFiles())
  nextScaffold(dir)
  const next = join('node_modules', 'next', 'dist', 'bin', 'next')
  await build(dir, [next, 'build'])
  return { kind: 'bin', args: (port) => [next, 'start', '-H', '127.0.0.1', '-p', `${port}`] }
}

/**
 * The Next.js quick start's round trip: anonymous users are sent to /login by the middleware; the
 * sign-in form's Server Action (posted as a browser without JavaScript does) sets the cookie; the
 * Server Component at / shows the user.
 */
async function nextRoundTrip(url: string): Promise<void> {
  assert.equal((await fetch(`${url}/account`, { redirect: 'manual' })).status, 307)
  const page = await (await fetch(`${url}/login`)).text()
  const action = /name="(\$ACTION_ID_[0-9a-f]+)"/.exec(page)?.[1]
  assert.ok(action, `no Server Action form on /login: ${page.slice(0, 300)}`)
  const form = new FormData()
  form.set(action, '')
  form.set('user', 'ada')
  const signedIn = await fetch(`${url}/login`, {
    method: 'POST',
    body: form,
    headers: { origin: url },
    redirect: 'manual',
  })
  assert.equal(signedIn.status, 303)
  const cookie = signedIn.headers
    .getSetCookie()
    .find((c) => c.startsWith('session='))
    ?.split(';')[0]
  assert.ok(cookie, 'the Server Action set no session cookie')
  assert.match(await (await fetch(url, { headers: { cookie } })).text(), /Signed in as ada/)
}

interface FrameworkCase {
  label: string
  /** What the framework's section says to install, beside the tarball. */
  packages: string[]
  /** Writes the quick start into the project (and builds it); says how to start it. */
  prepare(dir: string): Launch | Promise<Launch>
  roundTrip?(url: string): Promise<void>
}

/** The quick starts of docs/frameworks.md, each with what its section says to install. */
const frameworks: FrameworkCase[] = [
  { label: 'express-5', packages: [pinned('express')], prepare: oneFile('express') },
  { label: 'express-4', packages: [pinned('express', 'express4')], prepare: oneFile('express') },
  { label: 'fastify', packages: [pinned('fastify')], prepare: oneFile('fastify') },
  { label: 'koa', packages: [pinned('koa')], prepare: oneFile('koa') },
  { label: 'hono', packages: hono, prepare: oneFile('hono') },
  // The fetch quick start serves through @hono/node-server on Node, and that needs hono as its peer.
  { label: 'fetch', packages: hono, prepare: oneFile('fetch') },
  { label: 'node', packages: [], prepare: oneFile('node') },
  { label: 'h3', packages: [pinned('h3')], prepare: oneFile('h3') },
  {
    label: 'nest-express',
    packages: [...nest, pinned('@nestjs/platform-express')],
    prepare: nestQuickstart(),
  },
  {
    label: 'nest-fastify',
    packages: [...nest, pinned('@nestjs/platform-fastify')],
    prepare: nestQuickstart(onFastify),
  },
  // Under Bun, this repository's `bun` npm package: the project has only Elysia.
  { label: 'elysia', packages: [pinned('elysia')], prepare: oneFile('elysia', { kind: 'bun' }) },
  {
    label: 'sveltekit',
    packages: ['@sveltejs/kit', '@sveltejs/vite-plugin-svelte', 'svelte', 'vite'].map((name) => pinned(name)),
    prepare: sveltekitQuickstart,
  },
  {
    label: 'next',
    // create-next-app's TypeScript setup beside the framework: `next build` type-checks with it.
    packages: ['next', 'react', 'react-dom', 'typescript', '@types/react', '@types/node'].map((name) =>
      pinned(name),
    ),
    prepare: nextQuickstart,
    roundTrip: nextRoundTrip,
  },
]

/** docs/stores.md's quick start on each store, with Hono and that store's driver only. */
const stores: { store: QuickstartStore; driver: string }[] = [
  { store: 'sqlite', driver: pinned('better-sqlite3') },
  { store: 'redis', driver: pinned('redis') },
  { store: 'postgres', driver: pinned('pg') },
]

/** Environment for the store quick starts: where the server is, and for PostgreSQL a schema of its own. */
async function storeEnv(
  store: QuickstartStore,
): Promise<{ env: Record<string, string>; cleanup(): Promise<void> }> {
  if (store === 'redis') return { env: { REDIS_URL: await redisUrl() }, cleanup: async () => {} }
  if (store === 'postgres') {
    const url = await databaseUrl()
    const schema = uniqueName('package_quickstart')
    const admin = async (sql: string) => {
      const client = new pg.Client({ connectionString: url })
      await client.connect()
      await client.query(sql).finally(() => client.end())
    }
    await admin(`CREATE SCHEMA ${schema}`)
    return {
      // node-postgres reads PGOPTIONS: the quick start's table goes into the schema dropped afterwards.
      env: { DATABASE_URL: url, PGOPTIONS: `-c search_path=${schema}` },
      cleanup: () => admin(`DROP SCHEMA ${schema} CASCADE`),
    }
  }
  return { env: {}, cleanup: async () => {} }
}

describe('the tarball in a project with only one framework or driver', {
  concurrency: 3,
  timeout: 1_200_000,
}, () => {
  let tarball = ''
  before(async () => {
    tarball = await packedTarball()
  })

  for (const { label, packages, prepare, roundTrip = frameworkRoundTrip } of frameworks) {
    it(`${label}: the quick start keeps a session`, async () => {
      const project = await createProject(label, [tarball, ...packages])
      try {
        const app = await startApp(project.dir, await prepare(project.dir))
        try {
          await roundTrip(app.url)
        } finally {
          await app.stop()
        }
      } finally {
        project.remove()
      }
    })
  }

  for (const { store, driver } of stores) {
    it(`${store}: the stores quick start keeps a session`, async () => {
      const project = await createProject(store, [tarball, ...hono, driver])
      const { env, cleanup } = await storeEnv(store)
      try {
        if (store === 'sqlite') reuseBuiltAddon(project.dir)
        writeFileSync(join(project.dir, 'app.ts'), `${storesQuickstart(store)}\n`)
        const app = await startApp(project.dir, { kind: 'tsx' }, env)
        try {
          await storesRoundTrip(app.url)
        } finally {
          await app.stop()
        }
      } finally {
        await cleanup()
        project.remove()
      }
    })
  }
})
