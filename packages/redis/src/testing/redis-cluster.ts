import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ephemeral,
  freePort,
  launchRedis,
  type RedisProcess,
  redisCommand,
  waitUntil,
} from './redis-process.js';

/** Options of {@link startRedisCluster}. */
export interface RedisClusterOptions {
  /** How many primaries share the 16384 slots. @default 3 */
  primaries?: number;
  /** Replicas of each primary (1 or more to test failovers). @default 0 */
  replicasPerPrimary?: number;
  /**
   * `cluster-node-timeout`: how long a node may not answer before the others count it failed
   * and promote its replica (a failover takes about twice this).
   * @default 1000
   */
  nodeTimeoutMs?: number;
  /** A password every node requires (`requirepass`, and `masterauth` for its replicas). */
  password?: string;
}

/** One node of a {@link RedisCluster}. */
export interface RedisClusterNode extends RedisProcess {
  /** `redis://[:password@]127.0.0.1:<port>`. */
  readonly url: string;
}

/** A Redis Cluster of real `redis-server` processes on free loopback ports. */
export interface RedisCluster {
  /** Every node's URL (what `cluster: { nodes }` takes). */
  readonly nodes: string[];
  /** Every node, primaries and replicas (roles move in a failover). */
  readonly all: RedisClusterNode[];
  /** The primary that serves the slot of `key` now (a hash tag decides it, as in Redis). */
  primaryOf(key: string): Promise<RedisClusterNode>;
  /**
   * Waits until every running node sees the cluster as ok, none of them failed, all agree which
   * nodes are primaries, and every replica's link to its primary is up: after a primary was
   * killed, until its replica took over.
   */
  healthy(timeoutMs?: number): Promise<void>;
  /**
   * `CLUSTER FAILOVER` on a replica: a coordinated switch (its primary stops taking writes until
   * the replica has them all, then the two swap roles); resolves once the replica is primary.
   */
  failover(replica: RedisClusterNode): Promise<void>;
  /** Kills every node and removes their directory. */
  stop(): Promise<void>;
}

/** One line of `CLUSTER NODES`: port, flags and the slot ranges it serves. */
interface NodeLine {
  port: number;
  flags: string[];
  ranges: Array<[number, number]>;
}

function parseNodes(text: string): NodeLine[] {
  return text
    .trim()
    .split('\n')
    .map((line) => {
      const [, address = '', flags = '', , , , , , ...slots] = line.trim().split(' ');
      const ranges = slots
        .filter((slot) => !slot.startsWith('['))
        .map((slot): [number, number] => {
          const [from, to = from] = slot.split('-');
          return [Number(from), Number(to)];
        });
      return { port: Number(/:(\d+)@/.exec(address)?.[1]), flags: flags.split(','), ranges };
    });
}

const infoField = (info: string, field: string): string | undefined =>
  new RegExp(`^${field}:(.*)$`, 'm').exec(info)?.[1]?.trim();

function runRedisCli(args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('redis-cli', [...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('error', (error) =>
      reject(new Error(`cannot run redis-cli (apt-get install redis-tools): ${error.message}`)),
    );
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`redis-cli --cluster create failed (${code}):\n${output}`)),
    );
  });
}

/**
 * Starts a Redis Cluster: `primaries × (1 + replicasPerPrimary)` `redis-server --cluster-enabled
 * yes` processes (each with its own directory for `nodes.conf`, so a killed node restarted rejoins
 * as before), joined with `redis-cli --cluster create`, and waits until it is healthy.
 */
export async function startRedisCluster(options: RedisClusterOptions = {}): Promise<RedisCluster> {
  const primaries = options.primaries ?? 3;
  const replicas = options.replicasPerPrimary ?? 0;
  const nodeTimeoutMs = options.nodeTimeoutMs ?? 1000;
  const { password } = options;
  const auth = password === undefined ? [] : ['--requirepass', password, '--masterauth', password];
  const credentials = password === undefined ? '' : `:${encodeURIComponent(password)}@`;
  const directory = await mkdtemp(join(tmpdir(), 'switchyard-redis-cluster-'));
  const all: RedisClusterNode[] = [];
  const stop = async (): Promise<void> => {
    await Promise.allSettled(all.map((node) => node.stop()));
    await rm(directory, { recursive: true, force: true });
  };
  try {
    const count = primaries * (1 + replicas);
    // Each node takes two ports: its own and its cluster bus port (not port + 10000: that may be
    // beyond 65535 for a port the kernel picked).
    const ports = new Set<number>();
    while (ports.size < 2 * count) ports.add(await freePort());
    const [nodePorts, busPorts] = [[...ports].slice(0, count), [...ports].slice(count)];
    await Promise.all(
      nodePorts.map(async (port, index) => {
        const dir = join(directory, String(port));
        await mkdir(dir);
        const node = await launchRedis({
          port,
          cwd: dir,
          ...(password === undefined ? {} : { password }),
          args: [
            ...ephemeral(port),
            ...auth,
            '--dir',
            dir,
            '--cluster-enabled',
            'yes',
            '--cluster-port',
            String(busPorts[index]),
            '--cluster-config-file',
            'nodes.conf',
            '--cluster-node-timeout',
            String(nodeTimeoutMs),
          ],
        });
        all[index] = Object.assign(node, { url: `redis://${credentials}127.0.0.1:${port}` });
      }),
    );
    await runRedisCli([
      ...(password === undefined ? [] : ['-a', password, '--no-auth-warning']),
      '--cluster',
      'create',
      ...nodePorts.map((port) => `127.0.0.1:${port}`),
      '--cluster-replicas',
      String(replicas),
      '--cluster-yes',
    ]);
  } catch (error) {
    await stop();
    throw error;
  }

  const nodeAt = (port: number): RedisClusterNode => {
    const node = all.find((candidate) => candidate.port === port);
    if (node === undefined) throw new Error(`no node of this cluster listens on ${port}`);
    return node;
  };
  const anyRunning = (): RedisClusterNode => {
    const node = all.find((candidate) => candidate.running);
    if (node === undefined) throw new Error('no node of the cluster is running');
    return node;
  };

  const cluster: RedisCluster = {
    nodes: all.map((node) => node.url),
    all,
    async primaryOf(key) {
      const node = anyRunning();
      const slot = Number(await redisCommand(node, 'CLUSTER', 'KEYSLOT', key));
      const lines = parseNodes(String(await redisCommand(node, 'CLUSTER', 'NODES')));
      const owner = lines.find(
        (line) =>
          line.flags.includes('master') &&
          !line.flags.includes('fail') &&
          line.ranges.some(([from, to]) => slot >= from && slot <= to),
      );
      if (owner === undefined) throw new Error(`no primary serves slot ${slot} now`);
      return nodeAt(owner.port);
    },
    async failover(replica) {
      await redisCommand(replica, 'CLUSTER', 'FAILOVER');
      await waitUntil('the replica took over', async () =>
        String(await redisCommand(replica, 'ROLE')).startsWith('master'),
      );
    },
    healthy: (timeoutMs = 15_000) =>
      waitUntil(
        'the cluster is healthy',
        async () => {
          const running = all.filter((node) => node.running);
          const ports = new Set(running.map((node) => node.port));
          const views = await Promise.all(
            running.map(async (node) => ({
              info: String(await redisCommand(node, 'CLUSTER', 'INFO')),
              // A node the test killed is failed in every view: only the running ones count.
              nodes: parseNodes(String(await redisCommand(node, 'CLUSTER', 'NODES'))).filter((line) =>
                ports.has(line.port),
              ),
              replication: String(await redisCommand(node, 'INFO', 'replication')),
            })),
          );
          const primariesSeen = (view: (typeof views)[number]) =>
            view.nodes
              .filter((line) => line.flags.includes('master') && line.ranges.length > 0)
              .map((line) => line.port)
              .sort()
              .join(',');
          const first = views[0];
          return (
            first !== undefined &&
            views.every(
              (view) =>
                infoField(view.info, 'cluster_state') === 'ok' &&
                view.nodes.every((line) => !line.flags.some((flag) => flag === 'fail' || flag === 'fail?')) &&
                primariesSeen(view) === primariesSeen(first) &&
                (infoField(view.replication, 'role') !== 'slave' ||
                  infoField(view.replication, 'master_link_status') === 'up'),
            )
          );
        },
        timeoutMs,
      ),
    stop,
  };
  try {
    await cluster.healthy(30_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return cluster;
}
