import { Redis } from 'ioredis';
import type { RedisCluster } from '../src/testing.js';

/** The keys each primary of `cluster` holds under `prefix` (a SCAN of every running primary). */
export async function keysByPrimary(cluster: RedisCluster, prefix: string): Promise<Map<number, string[]>> {
  const found = new Map<number, string[]>();
  for (const node of cluster.all.filter((candidate) => candidate.running)) {
    const client = new Redis(node.url, { maxRetriesPerRequest: 0 });
    try {
      if ((await client.call('ROLE').then((role) => String(role))).startsWith('slave')) continue;
      const keys: string[] = [];
      let cursor = '0';
      do {
        const [next, page] = await client.scan(cursor, 'MATCH', `*${prefix}*`, 'COUNT', 1000);
        cursor = next;
        keys.push(...page);
      } while (cursor !== '0');
      if (keys.length > 0) found.set(node.port, keys.sort());
    } finally {
      client.disconnect();
    }
  }
  return found;
}

/**
 * The `spent` and `reserved` fields (picodollars) of every budget hash under `prefix`, read from
 * the primary at `url` (on Cluster, the one that serves the `{prefix}` slot).
 */
export async function budgetHashes(
  url: string,
  prefix: string,
): Promise<Array<{ key: string; spent: bigint; reserved: bigint }>> {
  const client = new Redis(url, { maxRetriesPerRequest: 0 });
  try {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, page] = await client.scan(cursor, 'MATCH', `{${prefix}}:budget:*`, 'COUNT', 1000);
      cursor = next;
      keys.push(...page);
    } while (cursor !== '0');
    return await Promise.all(
      keys.sort().map(async (key) => {
        const [spent, reserved] = await client.hmget(key, 'spent', 'reserved');
        return { key, spent: BigInt(spent ?? 0), reserved: BigInt(reserved ?? 0) };
      }),
    );
  } finally {
    client.disconnect();
  }
}
