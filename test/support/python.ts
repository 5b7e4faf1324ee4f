/**
 * Debian's Python with the real FastAPI/Starlette/itsdangerous/uvicorn and Flask, and the interop
 * apps of test/interop started on it. `python3` on PATH may be another interpreter (pyenv) without
 * Debian's packages, so the system one is used by path.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { waitForHttp } from './http.ts'
import { reservePort } from './ports.ts'

export const PYTHON = '/usr/bin/python3'
const MODULES = 'import fastapi, starlette, itsdangerous, uvicorn'

/** Makes sure the interop packages are importable, installing them from Debian when missing; throws loudly otherwise. */
export function ensureStarlette(): void {
  if (importable()) return
  const installer = new URL('../../scripts/install-system-deps.sh', import.meta.url).pathname
  const run = spawnSync('bash', [installer], { encoding: 'utf8' })
  if (!importable()) {
    throw new Error(
      `the Starlette interop suite needs Debian's python3-fastapi python3-starlette python3-itsdangerous python3-uvicorn ` +
        `at ${PYTHON}; installing them failed:\n${run.stdout}${run.stderr}`,
    )
  }
}

function importable(modules = MODULES): boolean {
  if (!existsSync(PYTHON)) return false
  try {
    execFileSync(PYTHON, ['-c', modules], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

/** Makes sure Debian's Flask is importable, installing it when missing; throws loudly otherwise. */
export function ensureFlask(): void {
  if (importable('import flask, markupsafe')) return
  const installer = new URL('../../scripts/install-system-deps.sh', import.meta.url).pathname
  const run = spawnSync('bash', [installer], { encoding: 'utf8' })
  if (!importable('import flask, markupsafe')) {
    throw new Error(
      `the Flask interop suite needs Debian's python3-flask at ${PYTHON}; installing it failed:\n${run.stdout}${run.stderr}`,
    )
  }
}

/** One of the interop apps, running in a child process on its own port. */
export interface PythonApp {
  url: string
  /** What it printed so far, for failure messages. */
  log(): string
  stop(): void
}

/** test/interop/fastapi_app.py under uvicorn, signing with `secret`; resolves once it answers. */
export async function startFastApi(secret: string): Promise<PythonApp> {
  ensureStarlette()
  const port = await reservePort()
  const uvicorn = ['-m', 'uvicorn', 'fastapi_app:app', '--app-dir', 'test/interop', '--host', '127.0.0.1']
  return startPython([...uvicorn, '--port', String(port)], port, secret)
}

/** test/interop/flask_app.py, signing with `secret`; resolves once it answers. */
export async function startFlask(secret: string): Promise<PythonApp> {
  ensureFlask()
  const port = await reservePort()
  return startPython(['test/interop/flask_app.py', String(port)], port, secret)
}

/** Runs `args` (paths relative to the repository, where the tests run) until `/read_session` answers. */
async function startPython(args: string[], port: number, secret: string): Promise<PythonApp> {
  const child = spawn(PYTHON, args, {
    env: { ...process.env, SECRET_KEY: secret },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let log = ''
  child.stdout?.on('data', (chunk) => (log += chunk))
  child.stderr?.on('data', (chunk) => (log += chunk))
  const app: PythonApp = { url: `http://127.0.0.1:${port}`, log: () => log, stop: () => child.kill() }
  try {
    await waitForHttp(`${app.url}/read_session`, 60_000, () => log)
  } catch (error) {
    app.stop()
    throw error
  }
  return app
}
