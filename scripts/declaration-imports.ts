/**
 * Rewrites the relative imports of the built declaration files from `./x.ts` to `./x.js`, the file
 * that stands beside each `.d.ts` in dist/. tsc's `rewriteRelativeImportExtensions` rewrites the
 * JavaScript it emits but not the declarations (microsoft/TypeScript#61037): TypeScript 5 reads
 * `.ts` specifiers in a `.d.ts`, but TypeScript 4.9 rejects them (TS2691) and the package's types
 * then fall back to `any`, and editors and declaration tools that follow the specifier find no file.
 *
 * Usage: node --import tsx scripts/declaration-imports.ts <dir>
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

// A quoted relative specifier ending in `.ts` (not `.d.ts`): in `from '…'`, `import('…')`,
// `import '…'` and `declare module '…'` alike.
const RELATIVE_TS = /(['"])(\.{1,2}\/[^'"\n]*?)(?<!\.d)\.ts\1/g

/** Rewrites every `.d.ts` under `dir`; returns how many specifiers it changed. */
function rewriteDeclarationImports(dir: string): number {
  let count = 0
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.d.ts')) continue
    const file = join(entry.parentPath, entry.name)
    const text = readFileSync(file, 'utf8')
    const rewritten = text.replace(RELATIVE_TS, (_match, quote: string, path: string) => {
      count++
      return `${quote}${path}.js${quote}`
    })
    if (rewritten !== text) writeFileSync(file, rewritten)
  }
  return count
}

const [dir] = process.argv.slice(2)
if (dir === undefined) {
  console.error('usage: node --import tsx scripts/declaration-imports.ts <dir>')
  process.exit(2)
}
rewriteDeclarationImports(dir)
