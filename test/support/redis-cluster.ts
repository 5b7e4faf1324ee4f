/**
 * A real throwaway Redis Cluster: three masters and three replicas, six redis-server processes on
 * reserved loopback ports, joined by `redis-cli --cluster create --cluster-replicas 1`. With helpers
 * to move a hash slot from one master to another (the CLUSTER SETSLOT / MIGRATE steps that
 * `redis-cli --cluster reshard` runs for each slot), to fail a master over, and to kill one. What a
 * test waits on before and after each fault (every node agreeing, replicas caught up) is in
 * ./redis-cluster-state.ts.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { promisify } from 'node:util'
import { createClient, type RedisClientType } from 'redis'
import { reservePortAndPortAbove } from './ports.ts'
import { redisAnswers } from './servers.ts'

const run = promisify(execFile)

/** One node as CLUSTER NODES reports it. */
export interface ClusterNode {
  id: string
  port: number
  role: 'master' | 'replica'
  /** For a replica, its master's id. */
  masterId: string | undefined
  /** The node is marked failed (`fail` or `fail?`) by the cluster. */
  failed: boolean
  /** `fail?`: this node suspects it; `fail`: a majority of masters agreed it failed. */
  health: 'ok' | 'fail?' | 'fail'
  /** The node's configuration epoch: the version of its claim on its slots. */
  configEpoch: number
  slots: [number, number][]
}

/** A running cluster; everything is stopped and removed by `close()` or when the process exits. */
export interface RedisCluster {
  /** One URL per node, for `createCluster({ rootNodes })`. */
  urls: string[]
  /** The cluster as a live node sees it (the node at `port`, or the first live one). */
  nodes(port?: number): Promise<ClusterNode[]>
  /** The ports of the nodes that are running. */
  live(): number[]
  /** What the node at `port` has logged so far. */
  log(port: number): string
  /** The hash slot of `key`. */
  keySlot(key: string): Promise<number>
  /** Moves `slot` and its keys from the master that owns it to the master `toId`. */
  moveSlot(slot: number, toId: string): Promise<void>
  /** Runs a command on the node at `port`. */
  command(port: number, ...args: string[]): Promise<unknown>
  /** Kills the node at `port` with SIGKILL. */
  kill(port: number): Promise<void>
  /** Waits (at most `ms`) until the node at `port` says it is a `role` (ROLE). */
  waitForRole(port: number, role: 'master' | 'slave', ms?: number): Promise<void>
  /** Waits (at most `ms`) until every slot is served and the cluster state is ok, seen from `port`. */
  waitUntilOk(port: number, ms?: number): Promise<void>
  close(): Promise<void>
}

/**
 * Milliseconds before a silent master is taken as failed and its replica promoted. Long enough that
 * a node starved of CPU on a loaded machine is not taken for dead (which would start a failover the
 * test did not ask for), short enough that the killed master's replica takes over in seconds.
 */
export const NODE_TIMEOUT_MS = 5000

/** Starts six nodes and makes them a cluster of three masters, each with one replica. */
export async function startRealRedisCluster(): Promise<RedisCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-redis-cluster6-'))
  const ports: number[] = []
  // Each node also listens on its cluster bus, port + 10000: reserve both.
  for (let i = 0; i < 6; i++) ports.push(await reservePortAndPortAbove(10_000))
  const children = new Map<number, ChildProcess>()
  const clients = new Map<number, RedisClientType>()
  const stopAll = () => {
    for (const child of children.values()) child.kill('SIGKILL')
    rmSync(dir, { recursive: true, force: true })
  }
  process.once('exit', stopAll)
  for (const port of ports) {
    const child = spawn(
      'redis-server',
      [
        ...['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
        ...['--cluster-enabled', 'yes', '--cluster-config-file', join(dir, `nodes-${port}.conf`)],
        ...['--cluster-node-timeout', String(NODE_TIMEOUT_MS), '--dir', dir],
        ...['--logfile', join(dir, `node-${port}.log`)],
        // A replica that must resync fully (the demoted master after a failover, when a partial
        // resync is refused) gets its copy at once instead of after the default 5 s batching delay.
        ...['--repl-diskless-sync-delay', '0'],
      ],
      { stdio: 'ignore' },
    )
    children.set(port, child)
  }
  for (const port of ports) {
    const deadline = Date.now() + 30_000
    while (!(await redisAnswers(`redis://127.0.0.1:${port}`))) {
      if (Date.now() > deadline) throw new Error(`redis-server (cluster node) on ${port} did not come up`)
      await sleep(100)
    }
  }
  await run('redis-cli', [
    '--cluster',
    'create',
    ...ports.map((p) => `127.0.0.1:${p}`),
    '--cluster-replicas',
    '1',
    '--cluster-yes',
  ])

  const client = async (port: number): Promise<RedisClientType> => {
    let c = clients.get(port)
    if (c === undefined) {
      c = createClient({ url: `redis://127.0.0.1:${port}`, socket: { reconnectStrategy: false } })
      c.on('error', () => {})
      clients.set(port, c)
      await c.connect()
    }
    return c
  }
  const command = async (port: number, ...args: string[]): Promise<unknown> =>
    (await client(port)).sendCommand(args)
  const live = () =>
    ports.filter((p) => children.get(p)?.exitCode === null && children.get(p)?.signalCode === null)

  const nodes = async (port = live()[0] as number): Promise<ClusterNode[]> => {
    const text = String(await command(port, 'CLUSTER', 'NODES'))
    return text
      .trim()
      .split('\n')
      .map((line) => {
        const [id, address, flags, master, , , epoch, , ...slots] = line.split(' ') as string[]
        const flagList = (flags ?? '').split(',')
        return {
          id: id as string,
          port: Number((address ?? '').split('@')[0]?.split(':')[1]),
          role: flagList.includes('master') ? 'master' : 'replica',
          masterId: master === '-' ? undefined : master,
          failed: flagList.includes('fail') || flagList.includes('fail?'),
          health: flagList.includes('fail') ? 'fail' : flagList.includes('fail?') ? 'fail?' : 'ok',
          configEpoch: Number(epoch),
          slots: slots
            .filter((s) => !s.startsWith('['))
            .map((s) => {
              const [from, to] = s.split('-').map(Number) as [number, number | undefined]
              return [from, to ?? from] as [number, number]
            }),
        }
      })
  }

  const waitUntilOk = async (port: number, ms = 60_000) => {
    const deadline = Date.now() + ms
    for (;;) {
      const info = String(await command(port, 'CLUSTER', 'INFO').catch(() => ''))
      if (info.includes('cluster_state:ok') && info.includes('cluster_slots_ok:16384')) return
      if (Date.now() > deadline) throw new Error(`cluster not ok after ${ms / 1000} s:\n${info}`)
      await sleep(100)
    }
  }
  const waitForRole = async (port: number, role: string, ms = 60_000) => {
    const deadline = Date.now() + ms
    for (;;) {
      const reply = (await command(port, 'ROLE').catch(() => [])) as unknown[]
      if (reply[0] === role) return
      if (Date.now() > deadline) throw new Error(`node ${port} is not a ${role} after ${ms / 1000} s`)
      await sleep(100)
    }
  }
  for (const port of ports) await waitUntilOk(port)
  // Every replica attached to its master, so a failover has somewhere to go.
  const deadline = Date.now() + 60_000
  while ((await nodes()).filter((n) => n.role === 'replica' && n.masterId !== undefined).length < 3) {
    if (Date.now() > deadline) throw new Error('the replicas did not attach')
    await sleep(100)
  }

  return {
    urls: ports.map((p) => `redis://127.0.0.1:${p}`),
    nodes,
    live,
    log: (port) => readFileSync(join(dir, `node-${port}.log`), 'utf8'),
    command,
    waitUntilOk,
    waitForRole,
    keySlot: async (key) => Number(await command(live()[0] as number, 'CLUSTER', 'KEYSLOT', key)),
    async moveSlot(slot, toId) {
      const all = await nodes()
      const from = all.find((n) => n.role === 'master' && n.slots.some(([a, b]) => slot >= a && slot <= b))
      const to = all.find((n) => n.id === toId)
      if (from === undefined || to === undefined)
        throw new Error(`no owner of slot ${slot} or no node ${toId}`)
      if (from.id === to.id) return
      const s = String(slot)
      // The steps of Redis Cluster's live resharding (https://redis.io/docs/latest/commands/cluster-setslot/):
      // importing on the target, migrating on the source, keys moved in batches, then the new owner.
      await command(to.port, 'CLUSTER', 'SETSLOT', s, 'IMPORTING', from.id)
      await command(from.port, 'CLUSTER', 'SETSLOT', s, 'MIGRATING', to.id)
      for (;;) {
        const keys = (await command(from.port, 'CLUSTER', 'GETKEYSINSLOT', s, '10')) as string[]
        if (keys.length === 0) break
        // The timeout bounds an idle connection to the target, not the copy: generous on a busy machine.
        await command(from.port, 'MIGRATE', '127.0.0.1', String(to.port), '', '0', '60000', 'KEYS', ...keys)
        // Between batches, clients asking the source for a moved key are sent on with ASK.
        await sleep(20)
      }
      for (const master of [to, from, ...all.filter((n) => n.role === 'master' && n !== to && n !== from)]) {
        await command(master.port, 'CLUSTER', 'SETSLOT', s, 'NODE', to.id)
      }
    },
    async kill(port) {
      const child = children.get(port)
      if (child === undefined || child.exitCode !== null) return
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGKILL')
      await exited
      clients.get(port)?.destroy()
      clients.delete(port)
    },
    async close() {
      for (const c of clients.values()) c.destroy()
      clients.clear()
      await Promise.all(
        [...children.values()].map(async (child) => {
          if (child.exitCode !== null || child.signalCode !== null) return
          const exited = new Promise((resolve) => child.once('exit', resolve))
          child.kill('SIGTERM')
          await exited
        }),
      )
      rmSync(dir, { recursive: true, force: true })
      process.off('exit', stopAll)
    },
  }
}
