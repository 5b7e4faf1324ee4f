/**
 * Real Chromium for the browser suite: Debian's `chromium` driven by playwright-core, each profile in
 * a fresh `--user-data-dir`, and the demo app served in-process on 127.0.0.1 with an OS-chosen port.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before } from 'node:test'
import { serve } from '@hono/node-server'
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core'
import { createDemoApp } from '../../examples/demo/app.ts'

/** Debian's Chromium; `npx playwright install` cannot download browsers here. */
export const CHROMIUM = '/usr/bin/chromium'

/** Flags for a quiet, offline, sandbox-less headless Chromium (playwright adds `--headless`). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/** The secret of the app under test, so tests can forge cookies signed with another one. */
export const TEST_SECRET = 'browser-suite-secret-browser-suite-secret'

const SCREENSHOTS = new URL('../artifacts/screenshots/', import.meta.url).pathname

/**
 * Makes sure Chromium is installed, installing Debian's package (listed in .ci/apt-packages.txt) when
 * it is missing. A browser that still cannot be found fails the suite loudly: it is never skipped.
 */
export function ensureChromium(executable: string = CHROMIUM): void {
  if (existsSync(executable)) return
  const installer = new URL('../../scripts/install-system-deps.sh', import.meta.url).pathname
  const run = spawnSync('bash', [installer], { encoding: 'utf8' })
  if (!existsSync(executable)) {
    throw new Error(
      `the browser suite needs Debian's chromium at ${executable}; installing it failed:\n${run.stdout}${run.stderr}`,
    )
  }
}

/** The demo app on 127.0.0.1 at a free port. */
export interface RunningDemo {
  url: string
  close(): Promise<void>
}

/** Starts the demo app in this process. */
export async function startDemo(): Promise<RunningDemo> {
  const app = createDemoApp({ secretKey: TEST_SECRET })
  const { server, port } = await new Promise<{ server: ReturnType<typeof serve>; port: number }>(
    (resolve) => {
      const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) =>
        resolve({ server, port: info.port }),
      )
    },
  )
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        // Keep-alive sockets from the browser would hold `close` open until they time out.
        if ('closeAllConnections' in server) server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** A throwaway browser with a fresh profile, for tests that do not restart the browser. */
export async function launchBrowser(): Promise<Browser> {
  ensureChromium()
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS })
}

/**
 * A new, empty profile directory. Its preferences say "on startup, open the New Tab page"
 * (`session.restore_on_startup: 5`): Chromium's default here too, set explicitly because with
 * "continue where you left off" (1) Chromium restores session cookies on restart, as it does for
 * tabs, and a browser-session cookie would then outlive the browser (test/browser/persistence.test.ts
 * shows both).
 */
export function freshProfile(restoreOnStartup: 1 | 5 = 5): string {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-profile-'))
  mkdirSync(join(dir, 'Default'))
  writeFileSync(
    join(dir, 'Default', 'Preferences'),
    JSON.stringify({ session: { restore_on_startup: restoreOnStartup } }),
  )
  return dir
}

/** Removes a profile made by {@link freshProfile}. */
export function removeProfile(dir: string): void {
  rmSync(dir, { recursive: true, force: true })
}

/** Chromium on a profile kept on disk, to close and reopen it like a person closing the browser. */
export async function launchProfile(dir: string): Promise<BrowserContext> {
  ensureChromium()
  return chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    locale: 'en-US',
  })
}

/**
 * Saves a full-page screenshot to test/artifacts/screenshots/NAME.png. Written aside and renamed into
 * place, so two test runs at once never leave a file half of one and half of the other.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true })
  const aside = join(SCREENSHOTS, `.${name}.${process.pid}.png`)
  await page.screenshot({ path: aside, fullPage: true })
  renameSync(aside, join(SCREENSHOTS, `${name}.png`))
}

/** The session cookie of a context, if it has one. */
export async function sessionCookie(context: BrowserContext, url: string) {
  return (await context.cookies(url)).find((cookie) => cookie.name === 'session')
}

/** The demo and a browser, started before a test file's tests and stopped after them. */
export interface DemoAndBrowser {
  readonly demo: RunningDemo
  readonly browser: Browser
}

/** Registers the file's before/after hooks; the fields are set once `before` has run. */
export function demoAndBrowser(): DemoAndBrowser {
  const suite = {} as { demo: RunningDemo; browser: Browser }
  before(async () => {
    suite.demo = await startDemo()
    suite.browser = await launchBrowser()
  })
  after(async () => {
    await suite.browser?.close()
    await suite.demo?.close()
  })
  return suite
}
