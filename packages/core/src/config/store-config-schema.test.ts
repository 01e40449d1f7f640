import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/config-error.js';
import { validateConfig } from './validate-config.js';

const providers = { a: { baseURL: 'http://127.0.0.1:1/v1' } };

function issuesOf(store: unknown): string[] {
  try {
    validateConfig({ providers, store });
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((issue) => `${issue.path}: ${issue.message}`);
    throw error;
  }
  return [];
}

describe('the redis store section', () => {
  it('takes one primary, a cluster or a sentinel setup', () => {
    expect(issuesOf({ type: 'redis', url: 'redis://:pw@10.0.0.1:6379/2' })).toEqual([]);
    expect(
      issuesOf({
        type: 'redis',
        cluster: { nodes: ['redis://:pw@10.0.0.1:6379', 'redis://:pw@10.0.0.2:6379'] },
        keyPrefix: 'fleet-a',
        waitForReplicas: { count: 1, timeoutMs: 100 },
      }),
    ).toEqual([]);
    expect(
      issuesOf({
        type: 'redis',
        sentinel: { name: 'mymaster', sentinels: ['redis://10.0.0.1:26379'], password: 'pw', db: 1 },
      }),
    ).toEqual([]);
  });

  it('needs exactly one of url, cluster and sentinel', () => {
    expect(issuesOf({ type: 'redis' })).toEqual([
      'store: type "redis" needs one of url (one primary), cluster ({ nodes: [...] }) or sentinel ({ name, sentinels: [...] })',
    ]);
    expect(issuesOf({ type: 'redis', url: 'redis://h:1', cluster: { nodes: ['redis://h:1'] } })).toEqual([
      'store: takes only one of url, cluster and sentinel (got url and cluster)',
    ]);
  });

  it('names every wrong node, and never repeats a password', () => {
    const issues = issuesOf({
      type: 'redis',
      cluster: {
        nodes: [
          'redis://:first-s3cret@h:1',
          'redis://:other-s3cret@h:2',
          'http://h:3',
          'redis://:first-s3cret@h:4/2',
        ],
      },
    });
    expect(issues).toEqual([
      'store.cluster.nodes[2]: must be a redis:// or rediss:// URL',
      'store.cluster.nodes[3]: Redis Cluster has only database 0: leave the /db out',
      'store.cluster.nodes: every node must use the same scheme and credentials',
    ]);
    expect(issues.join('\n')).not.toMatch(/s3cret/);
    expect(issuesOf({ type: 'redis', cluster: { nodes: [] } })).toEqual([
      'store.cluster.nodes: must list at least one node of the cluster',
    ]);
    expect(issuesOf({ type: 'redis', sentinel: { name: '', sentinels: ['10.0.0.1:26379'] } })).toEqual([
      'store.sentinel.name: must name the primary the sentinels watch (sentinel monitor <name>)',
      'store.sentinel.sentinels[0]: must be a redis:// or rediss:// URL',
    ]);
  });

  it('refuses hash-tag braces in the key prefix: the store tags its keys itself', () => {
    expect(issuesOf({ type: 'redis', url: 'redis://h:1', keyPrefix: '{fleet}' })).toEqual([
      'store.keyPrefix: must not contain "{" or "}": the store adds its own Redis Cluster hash tags',
    ]);
  });
});
