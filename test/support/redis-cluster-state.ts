/**
 * Waiting on what a Redis Cluster says about itself instead of on time. Gossip, failure detection,
 * elections and replication all run at the speed the machine allows, so a test that breaks the
 * cluster acts only once the nodes agree (CLUSTER NODES, CLUSTER INFO) and the replicas have
 * acknowledged what their masters hold (INFO replication, WAIT), and then waits for the same again.
 * Each wait has a generous bound that only turns a cluster that never settles into a failure that
 * shows what the nodes said.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import type { ClusterNode, RedisCluster } from './redis-cluster.ts'

/** Upper bound of each wait: a stuck cluster fails the test with its state instead of hanging it. */
export const SETTLE_BOUND_MS = 120_000

/** One node's view, reduced to what every node must agree on (no per-node flags like `myself`). */
function agreed(nodes: ClusterNode[]): string {
  return nodes
    .map((n) => [n.id, n.role, n.masterId ?? '-', n.health, n.configEpoch, n.slots.join(' ')].join(' '))
    .sort()
    .join('\n')
}

/** What is still unsettled, or `undefined` when the cluster is settled. */
async function unsettled(c: RedisCluster): Promise<string | undefined> {
  const live = c.live()
  const views = await Promise.all(live.map((port) => c.nodes(port)))
  const first = views[0] as ClusterNode[]
  for (const [i, view] of views.entries()) {
    if (agreed(view) !== agreed(first))
      return `nodes ${live[0]} and ${live[i]} disagree:\n${agreed(first)}\n--\n${agreed(view)}`
  }
  // A live node is suspected by nobody; a killed one is failed (`fail`: a majority of masters
  // agreed) in every view.
  for (const node of first) {
    const isLive = live.includes(node.port)
    if (isLive && node.health !== 'ok') return `node ${node.port} is live but marked ${node.health}`
    if (!isLive && node.health !== 'fail') return `the killed node ${node.port} is not yet marked fail`
  }
  for (const port of live) {
    const info = String(await c.command(port, 'CLUSTER', 'INFO'))
    if (!info.includes('cluster_state:ok') || !info.includes('cluster_slots_ok:16384')) {
      return `node ${port}: ${info.split('\r\n').slice(0, 3).join(', ')}`
    }
  }
  // Every live replica has a working link to the master the cluster says it has.
  for (const node of first.filter((n) => n.role === 'replica' && live.includes(n.port))) {
    const master = first.find((n) => n.id === node.masterId)
    const info = String(await c.command(node.port, 'INFO', 'replication'))
    if (!info.includes(`master_port:${master?.port}`) || !info.includes('master_link_status:up')) {
      return `replica ${node.port} not linked to ${master?.port}: ${info.replaceAll('\r\n', ' ')}`
    }
  }
  return undefined
}

/**
 * Waits until every live node sees the same cluster (roles, masters, slots, config epochs, failed
 * nodes), every slot is served, and every replica is linked to its master; then until each master's
 * replicas have acknowledged everything it held when this was called (WAIT). A fault started after
 * this hits a cluster whose replicas know their master's slots and hold its data.
 */
export async function waitUntilSettled(c: RedisCluster, ms = SETTLE_BOUND_MS): Promise<void> {
  const deadline = Date.now() + ms
  for (let why = await unsettled(c); why !== undefined; why = await unsettled(c)) {
    if (Date.now() > deadline) throw new Error(`the cluster did not settle in ${ms / 1000} s: ${why}`)
    await sleep(100)
  }
  const nodes = await c.nodes()
  for (const master of nodes.filter((n) => n.role === 'master' && c.live().includes(n.port))) {
    const replicas = nodes.filter((n) => n.masterId === master.id && c.live().includes(n.port)).length
    if (replicas > 0) await replicated(c, master.port, replicas, ms)
  }
}

/**
 * Waits until `replicas` replicas of the master at `port` have acknowledged every write it had
 * received when this was called (WAIT: it returns as soon as they have, or after `ms`).
 */
export async function replicated(c: RedisCluster, port: number, replicas = 1, ms = SETTLE_BOUND_MS) {
  const acked = Number(await c.command(port, 'WAIT', String(replicas), String(ms)))
  if (acked < replicas)
    throw new Error(`only ${acked} of ${replicas} replicas of ${port} acknowledged within ${ms / 1000} s`)
}

/**
 * Fails the master of the replica at `port` over to it with CLUSTER FAILOVER, starting again when
 * Redis gives up on an attempt: a manual failover has a fixed 5 s limit (CLUSTER_MF_TIMEOUT) for the
 * replica to catch up and win the election, which a loaded machine can miss. The replica logs
 * "Manual failover timed out." when it gives up; that, not the time, decides a retry. Resolves to
 * the number of attempts.
 */
export async function failOver(c: RedisCluster, port: number, ms = SETTLE_BOUND_MS): Promise<number> {
  const deadline = Date.now() + ms
  const givenUp = () => c.log(port).split('Manual failover timed out').length - 1
  for (let attempt = 1; ; attempt++) {
    const before = givenUp()
    await c.command(port, 'CLUSTER', 'FAILOVER')
    for (;;) {
      const role = (await c.command(port, 'ROLE')) as unknown[]
      if (role[0] === 'master') return attempt
      if (givenUp() > before) break
      if (Date.now() > deadline)
        throw new Error(`no failover to ${port} in ${ms / 1000} s:\n${c.log(port).slice(-3000)}`)
      await sleep(50)
    }
  }
}

/**
 * Makes the replica at `replicaPort` fall behind its master at `masterPort` for certain: stops the
 * replica's process (SIGSTOP) and has the master drop its replication link (CLIENT KILL TYPE
 * replica), so no write the master takes from now on is sent anywhere. Resolves to the function that
 * lets the replica run again (SIGCONT); call it in every case, or the process cannot be stopped.
 */
export async function cutReplica(
  c: RedisCluster,
  masterPort: number,
  replicaPort: number,
): Promise<() => void> {
  const info = String(await c.command(replicaPort, 'INFO', 'server'))
  const pid = Number(/process_id:(\d+)/.exec(info)?.[1])
  process.kill(pid, 'SIGSTOP')
  const resume = () => process.kill(pid, 'SIGCONT')
  try {
    const dropped = Number(await c.command(masterPort, 'CLIENT', 'KILL', 'TYPE', 'replica'))
    if (dropped !== 1) throw new Error(`the master on ${masterPort} dropped ${dropped} replica links, not 1`)
  } catch (error) {
    resume()
    throw error
  }
  return resume
}
