import { Cluster, Redis, type RedisOptions } from 'ioredis';

/** Where the store's Redis is: exactly one of the three. */
export interface RedisTarget {
  /** One primary: `redis://[:password@]host:port[/db]`, or `rediss://` for TLS. */
  url?: string | undefined;
  /** Redis Cluster: some of its nodes, `redis://[user:password@]host:port`, all with the same credentials. */
  cluster?: { nodes: readonly string[] } | undefined;
  /** A primary that Redis Sentinel fails over. */
  sentinel?: SentinelTarget | undefined;
}

/** A primary watched by Redis Sentinel. */
export interface SentinelTarget {
  /** The name the sentinels know the primary by. */
  name: string;
  /** `redis://[user:password@]host:port` of each sentinel (their own credentials). */
  sentinels: readonly string[];
  /** The password of the primary and its replicas. */
  password?: string | undefined;
  /** The ACL user of the primary and its replicas. */
  username?: string | undefined;
  /** The database number. */
  db?: number | undefined;
}

/** What differs between the main connection and the subscriber. */
export interface ClientSettings {
  enableOfflineQueue: boolean;
  commandTimeout: number | undefined;
}

/** How to reach one deployment of Redis, and what to say (and never say) about it. */
export interface RedisTopology {
  readonly kind: 'standalone' | 'cluster' | 'sentinel';
  /** For log lines: where it is, without credentials. */
  readonly where: string;
  /** Every password in the target, as given and URL-decoded: redacted from every message. */
  readonly secrets: readonly string[];
  /** A new client (lazy connection not wanted: it connects at once and reconnects on its own). */
  connect(settings: ClientSettings): Redis | Cluster;
}

// Commands fail fast while disconnected (a request must not hang waiting for Redis); the client
// reconnects on its own with a capped backoff, so an outage ends without a restart.
export const reconnectDelay = (times: number): number => Math.min(50 * 2 ** Math.min(times, 6), 2000);
const common = { connectTimeout: 2000, maxRetriesPerRequest: 0, enableAutoPipelining: true } as const;

/** The store's scripts whose first argument is their number of keys (see the Cluster client). */
const VARIABLE_KEY_SCRIPTS = ['syReserve', 'sySettle', 'sySettleAndAppend'] as const;

const hostOf = (url: URL): string => `${url.protocol}//${url.host}`;
const portOf = (url: URL, fallback: number): number => (url.port === '' ? fallback : Number(url.port));
const passwordsOf = (url: URL): string[] =>
  url.password === '' ? [] : [url.password, decodeURIComponent(url.password)];
const credentialsOf = (url: URL): { username?: string; password?: string } => ({
  ...(url.username === '' ? {} : { username: decodeURIComponent(url.username) }),
  ...(url.password === '' ? {} : { password: decodeURIComponent(url.password) }),
});

function standalone(url: string): RedisTopology {
  const parsed = new URL(url);
  return {
    kind: 'standalone',
    where: `${hostOf(parsed)}${parsed.pathname === '/' ? '' : parsed.pathname}`,
    secrets: passwordsOf(parsed),
    connect: (settings) => new Redis(url, { ...common, ...settings, retryStrategy: reconnectDelay }),
  };
}

function cluster(nodes: readonly string[]): RedisTopology {
  if (nodes.length === 0) throw new TypeError('cluster.nodes must list at least one node');
  const parsed = nodes.map((node) => new URL(node));
  // Every node of a cluster shares its scheme and credentials (the config checks they agree).
  const first = parsed[0] as URL;
  return {
    kind: 'cluster',
    where: `cluster ${parsed.map(hostOf).join(',')}`,
    secrets: parsed.flatMap(passwordsOf),
    connect: (settings) =>
      new Cluster(
        parsed.map((url) => ({ host: url.hostname, port: portOf(url, 6379) })),
        {
          enableOfflineQueue: settings.enableOfflineQueue,
          enableAutoPipelining: true,
          // Auto-pipelining groups a command by the node of its first argument; for a script with
          // a variable number of keys that is the key count, not a key, so it would share a
          // pipeline with another node's commands, which ioredis then refuses. These are sent on
          // their own and routed by their keys.
          autoPipeliningIgnoredCommands: [...VARIABLE_KEY_SCRIPTS],
          clusterRetryStrategy: reconnectDelay,
          // A node that died is dropped and its slots found again through MOVED and a refresh;
          // the command waits for the replica's promotion, within its own timeout.
          retryDelayOnFailover: 100,
          retryDelayOnClusterDown: 100,
          redisOptions: {
            ...common,
            ...credentialsOf(first),
            commandTimeout: settings.commandTimeout,
            ...(first.protocol === 'rediss:' ? { tls: {} } : {}),
          },
        },
      ),
  };
}

function sentinel(target: SentinelTarget): RedisTopology {
  if (target.sentinels.length === 0)
    throw new TypeError('sentinel.sentinels must list at least one sentinel');
  const parsed = target.sentinels.map((node) => new URL(node));
  const first = parsed[0] as URL;
  const sentinelCredentials = credentialsOf(first);
  const tls = first.protocol === 'rediss:';
  const options: RedisOptions = {
    ...common,
    name: target.name,
    sentinels: parsed.map((url) => ({ host: url.hostname, port: portOf(url, 26379) })),
    ...(sentinelCredentials.username === undefined ? {} : { sentinelUsername: sentinelCredentials.username }),
    ...(sentinelCredentials.password === undefined ? {} : { sentinelPassword: sentinelCredentials.password }),
    ...(target.username === undefined ? {} : { username: target.username }),
    ...(target.password === undefined ? {} : { password: target.password }),
    ...(target.db === undefined ? {} : { db: target.db }),
    ...(tls ? { tls: {}, sentinelTLS: {}, enableTLSForSentinelMode: true } : {}),
    retryStrategy: reconnectDelay,
    sentinelRetryStrategy: reconnectDelay,
    // Learn of a promotion from the sentinels at once, and leave a demoted primary (which answers
    // writes with READONLY) for the new one instead of failing every write until a reconnect.
    failoverDetector: true,
    reconnectOnError: (error) => error.message.startsWith('READONLY'),
  };
  return {
    kind: 'sentinel',
    where: `sentinel "${target.name}" at ${parsed.map(hostOf).join(',')}`,
    secrets: [
      ...parsed.flatMap(passwordsOf),
      ...(target.password === undefined || target.password === '' ? [] : [target.password]),
    ],
    connect: (settings) => new Redis({ ...options, ...settings }),
  };
}

/** The topology of a target, checked: exactly one of `url`, `cluster` and `sentinel`. */
export function topologyOf(target: RedisTarget): RedisTopology {
  const given = [target.url, target.cluster, target.sentinel].filter((value) => value !== undefined);
  if (given.length !== 1) {
    throw new TypeError('the Redis store needs exactly one of url, cluster and sentinel');
  }
  if (target.cluster !== undefined) return cluster(target.cluster.nodes);
  if (target.sentinel !== undefined) return sentinel(target.sentinel);
  return standalone(target.url as string);
}
