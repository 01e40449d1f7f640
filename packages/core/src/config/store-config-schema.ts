import { z } from 'zod';

const positiveInt = z.number().int().positive();

const isRedisUrl = (value: string): boolean =>
  URL.canParse(value) && /^rediss?:$/.test(new URL(value).protocol) && new URL(value).hostname !== '';

// Messages never repeat the value: a Redis URL may carry a password.
const redisUrl = z.string().refine(isRedisUrl, 'must be a redis:// or rediss:// URL');

/** Scheme and credentials of a node URL: every node of one cluster (or sentinel set) shares them. */
const accessOf = (value: string): string => {
  const url = new URL(value);
  return `${url.protocol}${url.username}:${url.password}`;
};
const sameAccess = (urls: readonly string[]): boolean =>
  urls.every((url) => !isRedisUrl(url) || accessOf(url) === accessOf(urls.find(isRedisUrl) ?? url));

const cluster = z.strictObject({
  nodes: z
    .array(
      redisUrl.refine(
        (value) => !isRedisUrl(value) || ['', '/', '/0'].includes(new URL(value).pathname),
        'Redis Cluster has only database 0: leave the /db out',
      ),
    )
    .min(1, 'must list at least one node of the cluster')
    .refine(sameAccess, 'every node must use the same scheme and credentials'),
});

const sentinel = z.strictObject({
  name: z.string().min(1, 'must name the primary the sentinels watch (sentinel monitor <name>)'),
  sentinels: z
    .array(redisUrl)
    .min(1, 'must list at least one sentinel')
    .refine(sameAccess, 'every sentinel must use the same scheme and credentials'),
  password: z.string().optional(),
  username: z.string().min(1).optional(),
  db: z.number().int().nonnegative().optional(),
});

/**
 * The `store: { type: redis }` section: exactly one of `url`, `cluster` and `sentinel`, and a key
 * prefix without hash-tag braces (the store tags keys itself, see @switchyard/redis).
 */
export const redisStoreSchema = z
  .strictObject({
    type: z.literal('redis'),
    url: redisUrl.optional(),
    cluster: cluster.optional(),
    sentinel: sentinel.optional(),
    keyPrefix: z
      .string()
      .min(1)
      .refine(
        (value) => !/[{}]/.test(value),
        'must not contain "{" or "}": the store adds its own Redis Cluster hash tags',
      )
      .optional(),
    failMode: z.enum(['closed', 'open']).optional(),
    commandTimeoutMs: positiveInt.optional(),
    awaitWrites: z.boolean().optional(),
    waitForReplicas: z.strictObject({ count: positiveInt, timeoutMs: positiveInt.optional() }).optional(),
  })
  .superRefine((store, context) => {
    const given = (['url', 'cluster', 'sentinel'] as const).filter((field) => store[field] !== undefined);
    if (given.length === 1) return;
    context.addIssue({
      code: 'custom',
      message:
        given.length === 0
          ? 'type "redis" needs one of url (one primary), cluster ({ nodes: [...] }) or sentinel ({ name, sentinels: [...] })'
          : `takes only one of url, cluster and sentinel (got ${given.join(' and ')})`,
    });
  });
