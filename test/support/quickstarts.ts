/**
 * The docs' quick starts, read from the Markdown: the tests run exactly what a reader copies.
 */
import { readFileSync } from 'node:fs'

function readDoc(name: string): string {
  return readFileSync(new URL(`../../docs/${name}`, import.meta.url), 'utf8')
}

/** A named quick start and its code. */
export interface Quickstart {
  name: string
  code: string
}

/** docs/frameworks.md's `<!-- quickstart: NAME -->` blocks, in page order. */
export function frameworkQuickstarts(): Quickstart[] {
  const markdown = readDoc('frameworks.md')
  return [...markdown.matchAll(/<!-- quickstart: (\w+) -->\n```ts\n([\s\S]*?)\n```/g)].map(
    ([, name, code]) => ({
      name: name as string,
      code: code as string,
    }),
  )
}

/** The code of docs/frameworks.md's quick start `name`. */
export function frameworkQuickstart(name: string): string {
  const found = frameworkQuickstarts().find((q) => q.name === name)
  if (found === undefined) throw new Error(`docs/frameworks.md has no <!-- quickstart: ${name} --> block`)
  return found.code
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
