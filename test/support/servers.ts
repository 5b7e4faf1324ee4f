/**
 * Throwaway Redis and PostgreSQL servers on reserved loopback ports (./ports.ts), that a test may
 * stop, freeze and start again; their Debian packages are installed first when missing. Everything
 * started here is stopped, and its files removed, when the process exits.
 */
import { type ChildProcess, execFile, execFileSync, spawn, spawnSync } from 'node:child_process'
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { createConnection } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import pg from 'pg'
import { reservePort, reservePortAndPortAbove } from './ports.ts'

const execFileAsync = promisify(execFile)

/** A server this test run started, that it may stop, pause and start again on the same port. */
export interface Server {
  url: string
  port: number
  /** Stops the server (its data is kept for a restart where the server keeps data). */
  stop(): Promise<void>
  /** Starts it again on the same port and waits until it answers. */
  start(): Promise<void>
  /** Kills the server with SIGKILL, as an OOM kill or a crash would: no shutdown, no final flush. */
  crash(): Promise<void>
  /** Freezes the process (SIGSTOP): connections stay open but nothing is answered. */
  pause(): void
  /** Thaws a paused process (SIGCONT). */
  resume(): void
  /** Stops it for good and removes its files. */
  close(): Promise<void>
  /** Lets this process exit while the server runs; it is still stopped when the process exits. */
  unref(): void
}

/**
 * A throwaway redis-server on a reserved loopback port. With `persist`, it keeps its data across a
 * stop and start (append-only file in a temporary directory), as a production Redis would.
 */
export async function startRedis(options: { persist?: boolean } = {}): Promise<Server> {
  ensureDebianPackage('redis-server', () => commandExists('redis-server'))
  const port = await reservePort()
  const url = `redis://127.0.0.1:${port}`
  const dir = mkdtempSync(join(tmpdir(), 'tessera-redis-'))
  const persistence = options.persist
    ? ['--appendonly', 'yes', '--appendfsync', 'always', '--dir', dir]
    : ['--appendonly', 'no']
  let child: ChildProcess | undefined
  const start = async () => {
    child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', ...persistence],
      {
        stdio: 'ignore',
      },
    )
    await waitFor(() => redisAnswers(url), `redis-server on port ${port}`)
  }
  const stop = async () => {
    const running = child
    child = undefined
    if (running === undefined || running.exitCode !== null) return
    running.kill('SIGCONT')
    const exited = new Promise((resolve) => running.once('exit', resolve))
    running.kill('SIGTERM')
    await exited
  }
  const crash = async () => {
    const running = child
    child = undefined
    if (running === undefined || running.exitCode !== null) return
    const exited = new Promise((resolve) => running.once('exit', resolve))
    running.kill('SIGKILL')
    await exited
  }
  await start()
  stopAtExit(() => {
    child?.kill('SIGKILL')
    rmSync(dir, { recursive: true, force: true })
  })
  return {
    url,
    port,
    stop,
    start,
    crash,
    pause: () => child?.kill('SIGSTOP'),
    resume: () => child?.kill('SIGCONT'),
    close: async () => {
      await stop()
      rmSync(dir, { recursive: true, force: true })
    },
    unref: () => child?.unref(),
  }
}

/**
 * A throwaway PostgreSQL cluster (initdb, trust auth) on a reserved loopback port, with a `test`
 * database. Without `durable` it runs with `fsync=off`, for speed; `durable` keeps PostgreSQL's
 * defaults (`fsync=on`, `synchronous_commit=on`), for tests of what survives a crash.
 */
export async function startPostgres(options: { durable?: boolean } = {}): Promise<Server> {
  const bin = postgresBin()
  const port = await reservePort()
  const dir = mkdtempSync(join(tmpdir(), 'tessera-pg-'))
  const data = join(dir, 'data')
  const asRoot = process.getuid?.() === 0
  // PostgreSQL refuses to run as root: run it as the postgres user then, which must own its files.
  const run = (command: string, args: string[]) => {
    const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args]
    return execFileSync(file, argv, { stdio: 'pipe' })
  }
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString())
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString())
    chownSync(dir, uid, gid)
  }
  chmodSync(dir, 0o700)
  run(join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync'])
  const settings = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1${options.durable ? '' : ' -c fsync=off'}`
  const start = async () => {
    // Not execFileSync: pg_ctl waits seconds for crash recovery, and a blocked event loop would stall
    // the app and clients a test runs in this process (kept-alive sockets then time out under them).
    const [file, argv] = asRoot
      ? ['runuser', ['-u', 'postgres', '--', join(bin, 'pg_ctl')]]
      : [join(bin, 'pg_ctl'), [] as string[]]
    await execFileAsync(file, [...argv, '-D', data, '-o', settings, '-l', join(dir, 'log'), '-w', 'start'])
    await waitFor(
      () => postgresAnswers(`postgres://postgres@127.0.0.1:${port}/postgres`),
      `PostgreSQL on ${port}`,
    )
  }
  const pgCtlStop = () => {
    const args = [join(bin, 'pg_ctl'), '-D', data, '-m', 'immediate', '-w', 'stop']
    if (asRoot) spawnSync('runuser', ['-u', 'postgres', '--', ...args])
    else spawnSync(args[0] as string, args.slice(1))
  }
  let running = false
  const stop = async () => {
    if (!running) return
    running = false
    pgCtlStop()
  }
  await start()
  running = true
  const admin = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres` })
  await admin.connect()
  await admin.query('CREATE DATABASE test')
  await admin.end()
  stopAtExit(() => {
    if (running) pgCtlStop()
    rmSync(dir, { recursive: true, force: true })
  })
  const server: Server = {
    url: `postgres://postgres@127.0.0.1:${port}/test`,
    port,
    stop,
    start: async () => {
      await start()
      running = true
    },
    crash: async () => {
      if (!running) return
      running = false
      const pids = signalPostgres(data, 'SIGKILL')
      await waitFor(async () => pids.every(isGone), 'the killed PostgreSQL processes to be gone')
      // Where nothing reaps the killed postmaster (a container whose PID 1 does not), its zombie keeps
      // its pid, and PostgreSQL would take the lock files naming it for a running server. It is dead.
      for (const lock of [join(data, 'postmaster.pid'), join(dir, `.s.PGSQL.${port}.lock`)]) {
        rmSync(lock, { force: true })
      }
    },
    pause: () => signalPostgres(data, 'SIGSTOP'),
    resume: () => signalPostgres(data, 'SIGCONT'),
    // pg_ctl runs the server as a daemon, not as a child of this process: nothing holds it open.
    unref: () => {},
    close: async () => {
      await stop()
      rmSync(dir, { recursive: true, force: true })
    },
  }
  return server
}

/** Whether Redis at `url` answers PING within 5 seconds (a loaded machine can be slow to). */
export function redisAnswers(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve) => {
    const socket = createConnection({ host: hostname, port: Number(port || 6379) })
    const done = (ok: boolean) => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(5000, () => done(false))
    socket.once('error', () => done(false))
    socket.once('connect', () => socket.write('PING\r\n'))
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')))
  })
}

/** Whether PostgreSQL at `url` accepts a connection and a query within 5 seconds. */
export async function postgresAnswers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 })
  client.on('error', () => {})
  try {
    await client.connect()
    await client.query('SELECT 1')
    return true
  } catch {
    return false
  } finally {
    await client.end().catch(() => {})
  }
}

function postgresBin(): string {
  const find = () => {
    const root = '/usr/lib/postgresql'
    if (!existsSync(root)) return undefined
    const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a))
    const version = versions.find((v) => existsSync(join(root, v, 'bin', 'initdb')))
    return version === undefined ? undefined : join(root, version, 'bin')
  }
  ensureDebianPackage('postgresql', () => find() !== undefined)
  return find() as string
}

/** Signals the postmaster and its children; returns their pids. */
function signalPostgres(data: string, signal: NodeJS.Signals): number[] {
  // The postmaster's pid is the first line of postmaster.pid. Freezing it alone would leave the
  // backends of open connections answering, so its children (found through /proc) get the signal too.
  const pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0])
  const pids = [pid, ...childrenOf(pid)]
  for (const p of pids) process.kill(p, signal)
  return pids
}

/** The process has exited (gone, or a zombie waiting to be reaped: it holds nothing any more). */
function isGone(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')
  } catch {
    return true
  }
}

function childrenOf(parent: number): number[] {
  const children: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      // Fields after the command name (which may contain spaces, so skip past its closing parenthesis).
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      if (ppid === parent) children.push(Number(entry))
    } catch {
      // The process ended while we looked.
    }
  }
  return children
}

/** Installs a Debian package when `present()` says it is missing (needs root, as CI runs). */
function ensureDebianPackage(name: string, present: () => boolean): void {
  if (present()) return
  const sudo = process.getuid?.() === 0 ? [] : ['sudo']
  const apt = (args: string[]) => {
    const [file, ...rest] = [...sudo, 'apt-get', ...args]
    execFileSync(file as string, rest, {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    })
  }
  apt(['update', '-qq'])
  apt(['install', '-y', '-qq', '--no-install-recommends', name])
  if (!present()) throw new Error(`installed ${name} but it is still not usable`)
}

function commandExists(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`]).status === 0
}

async function waitFor(check: () => Promise<boolean>, what: string, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms
  while (Date.now() < deadline) {
    if (await check()) return
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`${what} did not come up within ${ms / 1000} s`)
}

const atExit: (() => void)[] = []
function stopAtExit(stop: () => void): void {
  if (atExit.length === 0) {
    process.once('exit', () => {
      for (const fn of atExit) {
        try {
          fn()
        } catch {
          // Best effort: the process is going away.
        }
      }
    })
  }
  atExit.push(stop)
}

/**
 * A throwaway one-node Redis Cluster: every hash slot on one node. Cluster mode enforces its key
 * rules even then (a command or script whose keys span two slots fails with CROSSSLOT), so a store
 * that passes here keeps to them.
 */
export async function startRedisCluster(): Promise<{ url: string; close(): Promise<void> }> {
  ensureDebianPackage('redis-server', () => commandExists('redis-server'))
  // The node also listens on its cluster bus, port + 10000: reserve both.
  const port = await reservePortAndPortAbove(10_000)
  const url = `redis://127.0.0.1:${port}`
  const dir = mkdtempSync(join(tmpdir(), 'tessera-redis-cluster-'))
  const child = spawn(
    'redis-server',
    [
      ...['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      ...['--cluster-enabled', 'yes', '--cluster-config-file', join(dir, 'nodes.conf'), '--dir', dir],
    ],
    { stdio: 'ignore' },
  )
  const close = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
    }
    rmSync(dir, { recursive: true, force: true })
  }
  stopAtExit(() => {
    child.kill('SIGKILL')
    rmSync(dir, { recursive: true, force: true })
  })
  await waitFor(() => redisAnswers(url), `redis-server (cluster mode) on port ${port}`)
  const cli = (...args: string[]) => execFileSync('redis-cli', ['-p', String(port), ...args]).toString()
  cli('CLUSTER', 'ADDSLOTSRANGE', '0', '16383')
  await waitFor(async () => cli('CLUSTER', 'INFO').includes('cluster_state:ok'), 'the cluster to be ready')
  return { url, close }
}
