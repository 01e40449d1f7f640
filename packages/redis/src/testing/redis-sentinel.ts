import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
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

/** Options of {@link startRedisSentinel}. */
export interface RedisSentinelOptions {
  /** Replicas of the primary. @default 1 */
  replicas?: number;
  /** Sentinels watching it (a majority of them is the quorum). @default 1 */
  sentinels?: number;
  /** The name the sentinels know the primary by. @default 'switchyard' */
  name?: string;
  /** `down-after-milliseconds`: how long the primary may not answer before a failover. @default 500 */
  downAfterMs?: number;
  /**
   * A password the primary and replicas require (`requirepass`, `masterauth`), and the sentinels
   * too (their own `requirepass`, and `auth-pass` towards the servers).
   */
  password?: string;
}

/** A primary, its replicas and the sentinels that watch them, all real processes on loopback. */
export interface RedisSentinelSetup {
  /** What `sentinel: { name, sentinels, password }` takes (the URLs carry the sentinels' password). */
  readonly name: string;
  readonly sentinels: string[];
  readonly password: string | undefined;
  /** The primary and replicas as started (roles move in a failover). */
  readonly servers: RedisProcess[];
  /** The server the sentinels name as primary now. */
  primary(): Promise<RedisProcess>;
  /**
   * Restarts a server that was killed as a replica of the current primary (`REPLICAOF`, as an
   * operator would bring it back; a sentinel alone takes its INFO period, 10 s, to convert it).
   */
  rejoin(server: RedisProcess): Promise<void>;
  /**
   * Waits until the sentinels name a running primary and know its running replicas, each with
   * its link to that primary up: after a primary was killed, until a replica took over.
   */
  healthy(timeoutMs?: number): Promise<void>;
  /** Kills every process and removes the sentinels' directory. */
  stop(): Promise<void>;
}

/**
 * Starts one primary with `replicas` replicas (`--replicaof`) and `sentinels` sentinels
 * (`redis-server <file> --sentinel`, each with a config file of its own, which sentinels rewrite),
 * and waits until the sentinels know every replica.
 */
export async function startRedisSentinel(options: RedisSentinelOptions = {}): Promise<RedisSentinelSetup> {
  const name = options.name ?? 'switchyard';
  const replicaCount = options.replicas ?? 1;
  const sentinelCount = options.sentinels ?? 1;
  const { password } = options;
  const auth = password === undefined ? [] : ['--requirepass', password, '--masterauth', password];
  const withPassword = password === undefined ? {} : { password };
  const directory = await mkdtemp(join(tmpdir(), 'switchyard-redis-sentinel-'));
  const servers: RedisProcess[] = [];
  const watchers: RedisProcess[] = [];
  const stop = async (): Promise<void> => {
    await Promise.allSettled([...watchers, ...servers].map((process) => process.stop()));
    await rm(directory, { recursive: true, force: true });
  };
  try {
    // Each server gets a directory of its own there: a replica stores the snapshot of its sync.
    const serverArgs = async (port: number): Promise<string[]> => {
      const dir = join(directory, String(port));
      await mkdir(dir);
      return [...ephemeral(port), ...auth, '--dir', dir];
    };
    const primaryPort = await freePort();
    servers.push(
      await launchRedis({ port: primaryPort, args: await serverArgs(primaryPort), ...withPassword }),
    );
    for (let index = 0; index < replicaCount; index += 1) {
      const port = await freePort();
      servers.push(
        await launchRedis({
          port,
          args: [...(await serverArgs(port)), '--replicaof', '127.0.0.1', String(primaryPort)],
          ...withPassword,
        }),
      );
    }
    for (let index = 0; index < sentinelCount; index += 1) {
      const port = await freePort();
      const file = join(directory, `sentinel-${port}.conf`);
      await writeFile(
        file,
        [
          `port ${port}`,
          'bind 127.0.0.1',
          `dir ${directory}`,
          `sentinel monitor ${name} 127.0.0.1 ${primaryPort} ${Math.floor(sentinelCount / 2) + 1}`,
          `sentinel down-after-milliseconds ${name} ${options.downAfterMs ?? 500}`,
          `sentinel failover-timeout ${name} 5000`,
          ...(password === undefined
            ? []
            : [`requirepass ${password}`, `sentinel auth-pass ${name} ${password}`]),
          '',
        ].join('\n'),
      );
      watchers.push(await launchRedis({ port, args: [file, '--sentinel'], ...withPassword }));
    }
  } catch (error) {
    await stop();
    throw error;
  }

  const serverAt = (port: number): RedisProcess => {
    const server = servers.find((candidate) => candidate.port === port);
    if (server === undefined) throw new Error(`no server of this setup listens on ${port}`);
    return server;
  };
  const namedPrimary = async (): Promise<number> => {
    const watcher = watchers.find((candidate) => candidate.running) ?? watchers[0];
    if (watcher === undefined) throw new Error('no sentinel');
    const address = (await redisCommand(watcher, 'SENTINEL', 'GET-MASTER-ADDR-BY-NAME', name)) as
      | [string, string]
      | null;
    return Number(address?.[1]);
  };
  const setup: RedisSentinelSetup = {
    name,
    sentinels: watchers.map(
      (watcher) =>
        `redis://${password === undefined ? '' : `:${encodeURIComponent(password)}@`}127.0.0.1:${watcher.port}`,
    ),
    password,
    servers,
    primary: async () => serverAt(await namedPrimary()),
    async rejoin(server) {
      const primary = serverAt(await namedPrimary());
      await server.restart();
      await redisCommand(server, 'REPLICAOF', '127.0.0.1', primary.port);
    },
    healthy: (timeoutMs = 15_000) =>
      waitUntil(
        'the sentinels name a running primary with its replicas linked',
        async () => {
          const primary = serverAt(await namedPrimary());
          if (!primary.running) return false;
          const role = String(await redisCommand(primary, 'ROLE'));
          if (!role.startsWith('master')) return false;
          const linked = await Promise.all(
            servers
              .filter((server) => server.running && server !== primary)
              .map(async (server) => {
                const info = String(await redisCommand(server, 'INFO', 'replication'));
                return info.includes(`master_port:${primary.port}`) && info.includes('master_link_status:up');
              }),
          );
          const known = await Promise.all(
            watchers.map(async (watcher) => {
              const replicas = (await redisCommand(watcher, 'SENTINEL', 'REPLICAS', name)) as string[][];
              return replicas.filter(
                (fields) => !String(fields[fields.indexOf('flags') + 1]).includes('down'),
              ).length;
            }),
          );
          const runningReplicas = servers.filter((server) => server.running).length - 1;
          return linked.every(Boolean) && known.every((count) => count >= runningReplicas);
        },
        timeoutMs,
      ),
    stop,
  };
  try {
    await setup.healthy(30_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return setup;
}
