/**
 * The docs' quick starts, read from the Markdown: the tests run exactly what a reader copies.
 */
import { readFileSync } from 'node:fs'

function readDoc(name: string): string {
  return readFileSync(new URL(`../../docs/${name}`, import.meta.url), 'utf8')
}

/** One file of a quick start: where it goes in the project, and its code. */
export interface QuickstartFile {
  path: string
  code: string
}

/** A named quick start: one `app.ts`, or several files of a project (SvelteKit's). */
export interface Quickstart {
  name: string
  files: QuickstartFile[]
}

/**
 * docs/frameworks.md's quick starts, in page order: a `<!-- quickstart: NAME -->` block is a whole
 * `app.ts`; `<!-- quickstart: NAME PATH -->` blocks with the same NAME are the files of one project.
 */
export function frameworkQuickstarts(): Quickstart[] {
  const markdown = readDoc('frameworks.md')
  const byName = new Map<string, QuickstartFile[]>()
  for (const [, name = '', path, code = ''] of markdown.matchAll(
    /<!-- quickstart: (\w+)(?: (\S+))? -->\n```ts\n([\s\S]*?)\n```/g,
  )) {
    const files = byName.get(name) ?? []
    files.push({ path: path ?? 'app.ts', code })
    byName.set(name, files)
  }
  return [...byName].map(([name, files]) => ({ name, files }))
}

/** The files of docs/frameworks.md's quick start `name`. */
export function frameworkQuickstartFiles(name: string): QuickstartFile[] {
  const found = frameworkQuickstarts().find((q) => q.name === name)
  if (found === undefined) throw new Error(`docs/frameworks.md has no <!-- quickstart: ${name} --> block`)
  return found.files
}

/** The code of docs/frameworks.md's one-file quick start `name` (its `app.ts`). */
export function frameworkQuickstart(name: string): string {
  const files = frameworkQuickstartFiles(name)
  const [file] = files
  if (files.length !== 1 || file === undefined || file.path !== 'app.ts') {
    throw new Error(`docs/frameworks.md's ${name} quick start is several files: use frameworkQuickstartFiles`)
  }
  return file.code
}
/** The stores docs/stores.md shows its quick start on. */
export type QuickstartStore = 'sqlite' | 'redis' | 'postgres'

/**
 * docs/stores.md's quick start (a Hono app on SQLite: the first `ts` block after "## Quick start"),
 * or, for Redis and PostgreSQL, the same app with its store line swapped for the block the page gives
 * under "The same app on Redis or PostgreSQL changes only the store line".
 */
export function storesQuickstart(store: QuickstartStore = 'sqlite'): string {
  const markdown = readDoc('stores.md')
  const sqliteApp = /## Quick start[\s\S]*?```ts\n([\s\S]*?)\n```/.exec(markdown)?.[1]
  if (sqliteApp === undefined) throw new Error('docs/stores.md has no ts block after "## Quick start"')
  if (store === 'sqlite') return sqliteApp
  const [, others = ''] = markdown.split('changes only the store')
  const block = [...others.matchAll(/```ts\n([\s\S]*?)\n```/g)]
    .map(([, code]) => code as string)
    .find((code) => code.includes(`'tessera-session/stores/${store}'`))
  const sqliteImport = "import { sqliteStore } from 'tessera-session/stores/sqlite'"
  const engineCall = /const engine = createStoreEngine\(\{\n[\s\S]*?\n\}\)/
  if (block === undefined || !sqliteApp.includes(sqliteImport) || !engineCall.test(sqliteApp)) {
    throw new Error(`docs/stores.md: cannot swap the quick start's store for the ${store} block`)
  }
  // The block is its import line, then what replaces the quick start's engine (store setup included).
  const [importLine = '', ...rest] = block.split('\n')
  return sqliteApp.replace(sqliteImport, importLine).replace(engineCall, rest.join('\n').trim())
}

/** docs/frameworks.md's Next.js App Router quick start: its `<!-- next-app: PATH -->` files. */
export function nextQuickstartFiles(): QuickstartFile[] {
  const markdown = readDoc('frameworks.md')
  return [...markdown.matchAll(/<!-- next-app: (\S+) -->\n```tsx?\n([\s\S]*?)\n```/g)].map(
    ([, path = '', code = '']) => ({ path, code }),
  )
}
