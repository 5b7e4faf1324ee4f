/** What the run needs from the machine, and what it says about the machine in the results. */
import { execFileSync, execSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { setTimeout as sleep } from 'node:timers/promises'

/** Debian packages the benchmark needs: the load generator, Redis, and the seed's FastAPI stack. */
const PACKAGES = [
  'wrk',
  'redis-server',
  'python3-fastapi',
  'python3-uvicorn',
  'python3-uvloop',
  'python3-httptools',
]

/** Installs the missing Debian packages (root or sudo), loudly. */
export function ensurePackages(): void {
  const missing = PACKAGES.filter((p) => {
    try {
      return !execFileSync('dpkg-query', ['-W', `-f=\${Status}`, p], { encoding: 'utf8' }).includes(
        'install ok installed',
      )
    } catch {
      return true
    }
  })
  if (missing.length === 0) return
  console.log(`bench: installing ${missing.join(' ')}`)
  const sudo = process.getuid?.() === 0 ? '' : 'sudo '
  execSync(
    `${sudo}apt-get update -qq && ${sudo}apt-get install -y -qq --no-install-recommends ${missing.join(' ')}`,
    {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    },
  )
}

/** Starts a local Redis on 127.0.0.1:6379 when none answers there. */
export async function ensureRedis(): Promise<void> {
  if (redisAnswers()) return
  console.log('bench: starting redis-server on 127.0.0.1:6379')
  execFileSync('redis-server', [
    '--bind',
    '127.0.0.1',
    '--port',
    '6379',
    '--save',
    '',
    '--appendonly',
    'no',
    '--daemonize',
    'yes',
  ])
  for (let i = 0; i < 50 && !redisAnswers(); i++) await sleep(100)
  if (!redisAnswers()) throw new Error('bench: redis-server did not start on 127.0.0.1:6379')
}

function redisAnswers(): boolean {
  try {
    return (
      execFileSync('redis-cli', ['-h', '127.0.0.1', '-p', '6379', 'ping'], { encoding: 'utf8' }).trim() ===
      'PONG'
    )
  } catch {
    return false
  }
}

/** Deletes the keys the benchmark's Redis sessions left behind. */
export function cleanRedis(pattern: string): number {
  const keys = execFileSync('redis-cli', ['-h', '127.0.0.1', '--scan', '--pattern', pattern], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  })
    .split('\n')
    .filter(Boolean)
  for (let i = 0; i < keys.length; i += 1000)
    execFileSync('redis-cli', ['-h', '127.0.0.1', 'unlink', ...keys.slice(i, i + 1000)])
  return keys.length
}

/** Versions and hardware, recorded with every result. */
export function machineInfo(): Record<string, string> {
  const version = (cmd: string, args: string[]) => {
    try {
      return execFileSync(cmd, args, { encoding: 'utf8' }).trim().split('\n')[0] ?? ''
    } catch (error) {
      return `unavailable (${(error as Error).message.split('\n')[0]})`
    }
  }
  const pkg = (name: string) => {
    try {
      return JSON.parse(readFileSync(`node_modules/${name}/package.json`, 'utf8')).version as string
    } catch {
      return 'missing'
    }
  }
  const peers = [
    'hono',
    '@hono/node-server',
    'express',
    'fastify',
    'koa',
    'express-session',
    'connect-redis',
    'redis',
    'cookie-session',
    'iron-session',
    'hono-sessions',
    '@fastify/secure-session',
    '@fastify/session',
    'koa-session',
  ]
  return {
    cpu: `${cpus()[0]?.model ?? 'unknown'} x ${cpus().length}`,
    memory: `${Math.round(totalmem() / 2 ** 30)} GiB`,
    kernel: version('uname', ['-sr']),
    node: process.version,
    python: version('/usr/bin/python3', ['--version']),
    fastapi: version('/usr/bin/python3', [
      '-c',
      'import fastapi, starlette, uvicorn; print(fastapi.__version__, starlette.__version__, uvicorn.__version__)',
    ]),
    wrk: version('sh', ['-c', 'wrk -v 2>&1 | head -1']),
    redis: version('redis-server', ['--version']),
    packages: peers.map((p) => `${p}@${pkg(p)}`).join(', '),
  }
}
