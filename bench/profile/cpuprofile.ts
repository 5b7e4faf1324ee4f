/**
 * A V8 `.cpuprofile` (what `node --cpu-prof` and `bun --cpu-prof` write) as a list of sampled stacks,
 * each stack a list of frames from the outermost call to the leaf, with the frame's file shortened and
 * the part of the program it belongs to.
 */
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

interface CallFrame {
  functionName: string
  url: string
  /** 0-based. */
  lineNumber: number
}

interface ProfileNode {
  id: number
  callFrame: CallFrame
  children?: number[]
}

interface CpuProfile {
  nodes: ProfileNode[]
  /** Microseconds, on the monotonic clock. */
  startTime: number
  samples: number[]
  timeDeltas: number[]
}

/** Where a frame's code lives: what the summary adds up. */
export type Category = 'tessera' | 'app' | 'framework' | 'node' | 'gc' | 'program' | 'idle' | 'other'

export const CATEGORY_NAMES: Record<Category, string> = {
  tessera: "tessera's src/",
  app: 'the bench app / demo',
  framework: 'the framework (node_modules)',
  node: 'node internals (http, net, streams...)',
  gc: 'GC',
  program: '(program): native work with no JS on the stack',
  idle: '(idle): waiting for the next request',
  other: 'native, no JS caller',
}

/** One frame of a stack. */
export interface Frame {
  name: string
  /** Shortened: `src/...`, `node_modules/<pkg>/<file>`, `node:...`, or empty for a builtin. */
  file: string
  /** 1-based, 0 when unknown. */
  line: number
  category: Category
}

/** The sampled stacks of one profile. */
export interface Stacks {
  stacks: Frame[][]
  /** Microseconds between samples, on average. */
  intervalUs: number
}

const SPECIAL = new Map<string, Category>([
  ['(garbage collector)', 'gc'],
  ['(idle)', 'idle'],
  ['(program)', 'program'],
])

/** Shortens a script URL to what a reader needs: which package or which source file. */
export function shortFile(url: string): string {
  if (!url) return ''
  const path = url.replace(/^file:\/\//, '')
  const nm = path.lastIndexOf('/node_modules/')
  if (nm >= 0) {
    const parts = path.slice(nm + '/node_modules/'.length).split('/')
    const pkgParts = parts[0]?.startsWith('@') ? 2 : 1
    const pkg = parts.slice(0, pkgParts).join('/')
    return `node_modules/${pkg}/${parts.at(-1)}`
  }
  // A production build of the bench's run (Next.js, SvelteKit) in .tmp/bench-<app>-<random>/: the
  // framework's runtime, bundled.
  const build = /\/\.tmp\/bench-([a-z]+)-[^/]+\/(.*)$/.exec(path)
  if (build) return `${build[1]} build/${build[2]}`
  for (const dir of ['/src/', '/bench/', '/examples/', '/test/']) {
    const at = path.lastIndexOf(dir)
    if (at >= 0) return path.slice(at + 1)
  }
  return path
}

function categoryOf(file: string, name: string): Category | undefined {
  const special = SPECIAL.get(name)
  if (special) return special
  if (file.startsWith('src/')) return 'tessera'
  if (file.startsWith('bench/') || file.startsWith('examples/')) return 'app'
  if (file.startsWith('node_modules/')) return 'framework'
  // Node's (and Bun's) own JavaScript: `node:internal/...`, `node:_http_server`, `bun:...`.
  if (/^(node|bun|internal|builtin):/.test(file)) return 'node'
  if (file.includes(' build/')) return 'framework'
  return undefined
}

/**
 * Which clock a profile's timestamps are on: V8 in Node uses the monotonic clock (`process.hrtime`),
 * Bun the wall clock (microseconds since 1970).
 */
export function profileClock(path: string): 'monotonic' | 'wall' {
  const start = /"startTime":\s*([\d.]+)/.exec(readFileSync(path, 'utf8'))
  return Math.abs(Number(start?.[1]) - Date.now() * 1000) < 86_400e6 ? 'wall' : 'monotonic'
}

/**
 * The samples taken between `fromUs` and `toUs` (monotonic microseconds, the clock of
 * `process.hrtime`), or all of them. A frame without a file (a V8 builtin such as `JSON.parse`, a
 * native binding) counts for its nearest caller that has one.
 */
export function readStacks(path: string, fromUs = -Infinity, toUs = Infinity): Stacks {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const parent = new Map<number, number>()
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
  const cache = new Map<number, Frame[]>()
  const stackOf = (id: number): Frame[] => {
    const known = cache.get(id)
    if (known) return known
    const node = byId.get(id) as ProfileNode
    const up = parent.get(id)
    const above = up === undefined ? [] : stackOf(up)
    if (node.callFrame.functionName === '(root)') return []
    const file = shortFile(node.callFrame.url)
    const name = node.callFrame.functionName || '(anonymous)'
    const category = categoryOf(file, name) ?? above.at(-1)?.category ?? 'other'
    const line = node.callFrame.url ? sourceLine(node.callFrame, name) : 0
    const frame: Frame = { name, file, line, category }
    const stack = [...above, frame]
    cache.set(id, stack)
    return stack
  }
  const stacks: Frame[][] = []
  let time = profile.startTime
  for (let i = 0; i < profile.samples.length; i++) {
    time += profile.timeDeltas[i] ?? 0
    if (time < fromUs || time > toUs) continue
    stacks.push(stackOf(profile.samples[i] as number))
  }
  const span = Math.min(toUs, time) - Math.max(fromUs, profile.startTime)
  return { stacks, intervalUs: stacks.length ? span / stacks.length : 0 }
}

const sources = new Map<string, string[]>()

/**
 * The 1-based line of a frame. tsx runs TypeScript transpiled onto one line (whitespace minified, with
 * an inline source map V8 does not apply), so for a `.ts` file the line is that of the function's
 * definition in the source, found by its name (0 when not found: an anonymous function).
 */
function sourceLine({ url, lineNumber }: CallFrame, name: string): number {
  if (!url.startsWith('file://') || !url.endsWith('.ts') || lineNumber > 0) return lineNumber + 1
  const path = fileURLToPath(url)
  let lines = sources.get(path)
  if (!lines) {
    lines = existsSync(path) ? readFileSync(path, 'utf8').split('\n') : []
    sources.set(path, lines)
  }
  const bare = name.replace(/^(get|set) /, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const definition = new RegExp(
    `(function\\*?\\s+${bare}\\b|^\\s*(public |private |static |async |get |set |#)*${bare}\\s*(<.*>)?\\(|` +
      `(const|let|var)\\s+${bare}\\s*[=:]|^\\s*${bare}:\\s*(async\\s*)?(\\(|function))`,
  )
  return lines.findIndex((l) => definition.test(l)) + 1
}

/** A frame's name with where it is, as the tables and tooltips show it. */
export function frameLabel(frame: Frame): string {
  if (!frame.file) return frame.name
  return `${frame.name} (${frame.file}${frame.line ? `:${frame.line}` : ''})`
}
