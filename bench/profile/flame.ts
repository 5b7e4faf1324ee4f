/**
 * Flame graphs: sampled stacks -> folded stacks (`a;b;c count`, one line per distinct stack, the format
 * of Brendan Gregg's flamegraph tools) -> an SVG where a frame's width is its share of the samples,
 * callers below callees, each frame with a tooltip (name, file:line, samples, %).
 */
import { type Category, type Frame, frameLabel } from './cpuprofile.ts'

/** Folded stacks: each distinct stack (frame labels joined by `;`) with its number of samples. */
export function fold(stacks: Frame[][]): Map<string, number> {
  const folded = new Map<string, number>()
  for (const stack of stacks) {
    const key = stack.map((f) => `${frameLabel(f).replaceAll(';', ':')}\t${f.category}`).join(';')
    folded.set(key, (folded.get(key) ?? 0) + 1)
  }
  return folded
}

/** The folded stacks as text, without the categories. */
export function foldedText(folded: Map<string, number>): string {
  const lines = [...folded].map(([key, n]) => `${key.replace(/\t[a-z]+(?=;|$)/g, '')} ${n}`)
  return `${lines.sort().join('\n')}\n`
}

interface Cell {
  label: string
  category: Category
  samples: number
  children: Map<string, Cell>
}

function tree(folded: Map<string, number>): Cell {
  const root: Cell = { label: 'all', category: 'other', samples: 0, children: new Map() }
  for (const [key, n] of folded) {
    root.samples += n
    let cell = root
    for (const part of key ? key.split(';') : []) {
      const [label = '', category = 'other'] = part.split('\t')
      let child = cell.children.get(part)
      if (!child) {
        child = { label, category: category as Category, samples: 0, children: new Map() }
        cell.children.set(part, child)
      }
      child.samples += n
      cell = child
    }
  }
  return root
}

// One hue per part of the program, so the eye finds tessera's frames at once.
const HUES: Record<Category, [number, number]> = {
  tessera: [120, 45], // green
  app: [200, 40], // blue
  framework: [35, 60], // orange
  node: [0, 55], // red
  gc: [280, 40], // purple
  program: [60, 15], // khaki
  idle: [0, 0], // grey
  other: [55, 50], // yellow
}

const WIDTH = 1200
const ROW = 16
const PAD = 10
const CHAR = 6.6 // average width of an 11px monospace character

const xml = (s: string) =>
  s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;')

function depthOf(cell: Cell): number {
  let deepest = 0
  for (const c of cell.children.values()) deepest = Math.max(deepest, depthOf(c))
  return deepest + 1
}

/** An SVG flame graph of `folded`, titled `title`. */
export function flameSvg(folded: Map<string, number>, title: string): string {
  const root = tree(folded)
  const total = Math.max(1, root.samples)
  const rows = depthOf(root)
  const height = rows * ROW + 3 * PAD + 20
  const scale = (WIDTH - 2 * PAD) / total
  const out: string[] = []
  let shade = 0
  const draw = (cell: Cell, x: number, depth: number) => {
    const width = cell.samples * scale
    if (width < 0.3) return
    const y = height - PAD - (depth + 1) * ROW
    const [hue, sat] = HUES[cell.category]
    const light = 55 + ((shade++ * 7) % 20)
    const pct = ((100 * cell.samples) / total).toFixed(2)
    out.push(
      `<g><title>${xml(cell.label)}: ${cell.samples} samples, ${pct}%</title>` +
        `<rect x="${x.toFixed(2)}" y="${y}" width="${width.toFixed(2)}" height="${ROW - 1}" ` +
        `fill="hsl(${hue},${sat}%,${light}%)" rx="2"/>`,
    )
    const fits = Math.floor((width - 4) / CHAR)
    if (fits >= 3) {
      const text = cell.label.length <= fits ? cell.label : `${cell.label.slice(0, fits - 2)}..`
      out.push(`<text x="${(x + 2).toFixed(2)}" y="${y + ROW - 4}">${xml(text)}</text>`)
    }
    out.push('</g>')
    let childX = x
    const children = [...cell.children.values()].sort((a, b) => a.label.localeCompare(b.label))
    for (const child of children) {
      draw(child, childX, depth + 1)
      childX += child.samples * scale
    }
  }
  draw(root, PAD, 0)
  const legend = Object.entries(HUES)
    .map(([name, [hue, sat]], i) => {
      const x = PAD + i * 150
      return `<rect x="${x}" y="${PAD + 18}" width="10" height="10" fill="hsl(${hue},${sat}%,60%)"/><text x="${x + 14}" y="${PAD + 27}">${name}</text>`
    })
    .join('')
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height + 20}" viewBox="0 0 ${WIDTH} ${height + 20}" font-family="monospace" font-size="11">`,
    `<rect width="100%" height="100%" fill="#fdfdf6"/>`,
    `<text x="${PAD}" y="${PAD + 8}" font-size="13">${xml(title)} (${total} samples; hover a frame for its name, file:line and share)</text>`,
    legend,
    `<g transform="translate(0,20)">`,
    ...out,
    '</g></svg>',
    '',
  ].join('\n')
}
