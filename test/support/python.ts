/**
 * Debian's Python with the real FastAPI/Starlette/itsdangerous/uvicorn. `python3` on PATH may be
 * another interpreter (pyenv) without Debian's packages, so the system one is used by path.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'

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
