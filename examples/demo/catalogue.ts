/**
 * A small tea-and-coffee catalogue and the "recommended for you" rule: unseen items that share tags
 * with what the visitor viewed recently, the most recent views counting most.
 */
import type { Language } from './state.ts'

/** A catalogue entry, named and described in each language. */
export interface Item {
  slug: string
  tags: readonly string[]
  name: Record<Language, string>
  description: Record<Language, string>
}

const item = (slug: string, tags: string[], en: [string, string], ru: [string, string]): Item =>
  Object.freeze({
    slug,
    tags: Object.freeze(tags),
    name: { en: en[0], ru: ru[0] },
    description: { en: en[1], ru: ru[1] },
  })

/** Every item, in display order. */
export const ITEMS: readonly Item[] = Object.freeze([
  item(
    'sencha',
    ['tea', 'green'],
    ['Sencha green tea', 'Steamed Japanese green tea, grassy and bright.'],
    ['Зелёный чай сенча', 'Японский пропаренный зелёный чай, травянистый и свежий.'],
  ),
  item(
    'oolong',
    ['tea', 'oolong'],
    ['Milk oolong', 'Half-oxidised tea with a creamy finish.'],
    ['Молочный улун', 'Полуферментированный чай со сливочным послевкусием.'],
  ),
  item(
    'earl-grey',
    ['tea', 'black'],
    ['Earl Grey', 'Black tea scented with bergamot.'],
    ['Эрл Грей', 'Чёрный чай с бергамотом.'],
  ),
  item(
    'teapot',
    ['tea', 'ceramics', 'brewing'],
    ['Clay teapot', 'A small unglazed teapot for oolong and black teas.'],
    ['Глиняный чайник', 'Небольшой неглазурованный чайник для улунов и чёрного чая.'],
  ),
  item(
    'cups',
    ['tea', 'ceramics'],
    ['Tea cups, set of four', 'Thin porcelain cups that keep the colour of the tea visible.'],
    ['Чайные чашки, четыре штуки', 'Тонкий фарфор, в котором виден цвет чая.'],
  ),
  item(
    'espresso',
    ['coffee', 'beans'],
    ['Espresso beans', 'A dark roast blend with notes of cocoa.'],
    ['Зёрна для эспрессо', 'Смесь тёмной обжарки с нотами какао.'],
  ),
  item(
    'filter',
    ['coffee', 'beans'],
    ['Filter roast', 'Light-roasted Ethiopian beans, fruity and floral.'],
    ['Обжарка под фильтр', 'Светлая обжарка, эфиопские зёрна, фруктовые и цветочные.'],
  ),
  item(
    'moka',
    ['coffee', 'brewing'],
    ['Moka pot', 'Stovetop coffee maker for strong, espresso-like coffee.'],
    ['Гейзерная кофеварка', 'Кофеварка для плиты: крепкий кофе, похожий на эспрессо.'],
  ),
  item(
    'dripper',
    ['coffee', 'brewing', 'ceramics'],
    ['Ceramic dripper', 'Pour-over cone for clean, light cups of coffee.'],
    ['Керамическая воронка', 'Воронка для пуровера: чистый и лёгкий кофе.'],
  ),
])

/** The item with this slug, or `undefined`. */
export function findItem(slug: string): Item | undefined {
  return ITEMS.find((item) => item.slug === slug)
}

/** A suggestion and the viewed item that led to it. */
export interface Recommendation {
  item: Item
  because: Item
}

/**
 * Up to `count` unseen items that share tags with the recently viewed ones (`recent`, most recent
 * first). A view's weight falls with its age; ties keep catalogue order.
 */
export function recommend(recent: readonly string[], count = 3): Recommendation[] {
  const viewed = recent.map(findItem).filter((item): item is Item => item !== undefined)
  const seen = new Set(viewed.map((item) => item.slug))
  const scored: { item: Item; score: number; because: Item }[] = []
  for (const candidate of ITEMS) {
    if (seen.has(candidate.slug)) continue
    let score = 0
    let because: Item | undefined
    let best = 0
    viewed.forEach((view, age) => {
      const shared = view.tags.filter((tag) => candidate.tags.includes(tag)).length
      const weighted = shared * (viewed.length - age)
      score += weighted
      if (weighted > best) [best, because] = [weighted, view]
    })
    if (because !== undefined) scored.push({ item: candidate, score, because })
  }
  return scored
    .sort((a, b) => b.score - a.score || ITEMS.indexOf(a.item) - ITEMS.indexOf(b.item))
    .slice(0, count)
    .map(({ item, because }) => ({ item, because }))
}
