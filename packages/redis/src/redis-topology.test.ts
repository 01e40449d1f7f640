import { describe, expect, it } from 'vitest';
import { topologyOf } from './redis-topology.js';

describe('topologyOf', () => {
  it('describes each kind of deployment without its credentials, and knows what to redact', () => {
    const standalone = topologyOf({ url: 'redis://:p%40ss@10.0.0.1:6379/2' });
    expect(standalone).toMatchObject({ kind: 'standalone', where: 'redis://10.0.0.1:6379/2' });
    expect(standalone.secrets).toEqual(expect.arrayContaining(['p%40ss', 'p@ss']));

    const cluster = topologyOf({
      cluster: { nodes: ['redis://u:c1@10.0.0.1:7000', 'redis://u:c1@10.0.0.2'] },
    });
    expect(cluster).toMatchObject({
      kind: 'cluster',
      where: 'cluster redis://10.0.0.1:7000,redis://10.0.0.2',
    });
    expect(cluster.secrets).toContain('c1');

    const sentinel = topologyOf({
      sentinel: { name: 'main', sentinels: ['redis://:s1@10.0.0.5:26379'], password: 'data-pw' },
    });
    expect(sentinel).toMatchObject({ kind: 'sentinel', where: 'sentinel "main" at redis://10.0.0.5:26379' });
    expect(sentinel.secrets).toEqual(expect.arrayContaining(['s1', 'data-pw']));
  });

  it('needs exactly one of url, cluster and sentinel', () => {
    expect(() => topologyOf({})).toThrow(/exactly one of url, cluster and sentinel/);
    expect(() => topologyOf({ url: 'redis://h:1', cluster: { nodes: ['redis://h:1'] } })).toThrow(
      /exactly one of url, cluster and sentinel/,
    );
  });
});
