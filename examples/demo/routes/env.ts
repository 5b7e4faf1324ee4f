/** The Hono environment every demo route shares. */
import { Hono } from 'hono'
import type { SessionEnv } from 'tessera-session/hono'
import type { DemoSession } from '../state.ts'

/** Hono variables of the demo: `c.var.session` is a {@link DemoSession}. */
export type DemoEnv = SessionEnv<DemoSession>

/** A router for one group of pages. */
export function router(): Hono<DemoEnv> {
  return new Hono<DemoEnv>()
}

/** A form field as a string (`parseBody` gives files for multipart uploads, which the demo ignores). */
export function field(body: Record<string, unknown>, name: string): string {
  const value = body[name]
  return typeof value === 'string' ? value : ''
}
