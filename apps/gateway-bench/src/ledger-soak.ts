/**
 * Soak: a fixed run of requests through the Express gateway on its default (memory) store, with the
 * server's resident memory read at the start, after a warm-up and at the end, and the ledger's own
 * account (held, evicted) beside it. One upstream answer in twenty is a 502 (then the fallback), so
 * failed attempts are in the ledger too. Before the ledger was bounded, memory grew with every
 * request; now it levels off once the ledger is at its cap. RSS is read as it is (V8 lets old
 * garbage pile up until a major collection, so it climbs and drops) and, through the server's
 * inspector, right after a forced full collection, with the heap used then: the memory kept.
 *
 * Run: pnpm --filter @switchyard/gateway-bench bench:soak
 *   env SOAK_REQUESTS (default 60000), SOAK_WARMUP (default 25000), SOAK_MAX_ENTRIES (the
 *   config's ledger.maxEntries; default 20000), SOAK_CONNECTIONS (default 32)
 */
import { readFileSync } from 'node:fs';
import { Pool } from 'undici';
import { BODY, freePort, HEADERS, SERVERS, startServer, startUpstream, stopAll } from './bench-servers.js';
import { connectHeapProbe, type HeapProbe } from './inspect-heap.js';

const REQUESTS = Number(process.env.SOAK_REQUESTS ?? 60_000);
const WARMUP = Number(process.env.SOAK_WARMUP ?? 25_000);
const MAX_ENTRIES = Number(process.env.SOAK_MAX_ENTRIES ?? 20_000);
const CONNECTIONS = Number(process.env.SOAK_CONNECTIONS ?? 32);
const SAMPLE_EVERY = 5_000;
const ADMIN_KEY = 'sy-bench-admin-key-0000000000';

/** Resident set size of a process in MB, from `/proc/<pid>/status` (Linux). */
function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((text) => text.startsWith('VmRSS:'));
  return Number(/(\d+)/.exec(line ?? '')?.[1] ?? Number.NaN) / 1024;
}

interface Sample {
  requests: number;
  rssMb: number;
  /** After a forced full collection. */
  gcRssMb: number;
  heapMb: number;
  held: number;
  evicted: number;
  seconds: number;
}

const samples: Sample[] = [];
let probe: HeapProbe | undefined;
let attempts = 0;
let failed = 0;
try {
  const upstream = await startUpstream({
    mockArgs: ['--fault', '502=0.05'],
    config: { ledger: { maxEntries: MAX_ENTRIES }, retry: { baseDelayMs: 1, maxDelayMs: 5 } },
  });
  const express = SERVERS.find((server) => server.name.startsWith('Express gateway'));
  if (express === undefined) throw new Error('no Express gateway among the servers');
  const inspectPort = await freePort();
  const gateway = await startServer(express, upstream, {
    env: { SWITCHYARD_ADMIN_KEY: ADMIN_KEY },
    nodeFlags: [`--inspect=127.0.0.1:${inspectPort}`],
  });
  probe = await connectHeapProbe(inspectPort);
  const heap = probe;
  const origin = new URL(gateway.url).origin;
  const pool = new Pool(origin, { connections: CONNECTIONS });
  const stats = async (): Promise<{ held: number; evicted: { attempts: number } }> => {
    const response = await pool.request({
      path: '/admin/ledger/stats',
      method: 'GET',
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
    });
    return (await response.body.json()) as { held: number; evicted: { attempts: number } };
  };
  const started = performance.now();
  const sample = async (requests: number): Promise<void> => {
    const ledger = await stats();
    const rss = rssMb(gateway.pid);
    const collected = await heap.afterFullGc();
    samples.push({
      requests,
      rssMb: rss,
      gcRssMb: collected.rssMb,
      heapMb: collected.heapUsedMb,
      held: ledger.held,
      evicted: ledger.evicted.attempts,
      seconds: (performance.now() - started) / 1000,
    });
  };
  await sample(0);
  const body = BODY(gateway.model);
  let next = 0;
  let done = 0;
  let sampling = Promise.resolve();
  const worker = async (): Promise<void> => {
    while (next < REQUESTS) {
      next += 1;
      const response = await pool.request({
        path: '/v1/chat/completions',
        method: 'POST',
        headers: HEADERS,
        body,
      });
      await response.body.dump();
      if (response.statusCode !== 200) failed += 1;
      attempts += Number(response.headers['x-switchyard-attempts'] ?? 0);
      done += 1;
      if (done % SAMPLE_EVERY === 0 || done === WARMUP) {
        const at = done;
        sampling = sampling.then(() => sample(at));
      }
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  await sampling;
  if (samples.at(-1)?.requests !== REQUESTS) await sample(REQUESTS);
  await pool.close();
} finally {
  probe?.close();
  stopAll();
}

const at = (requests: number): Sample | undefined => samples.find((sample) => sample.requests === requests);
const start = at(0);
const warm = at(WARMUP);
const end = samples.at(-1);
console.log(
  `# Soak: Express gateway, memory store, ledger.maxEntries ${MAX_ENTRIES} — Node ${process.version}, ` +
    `${REQUESTS} requests at ${CONNECTIONS} connections, 5% upstream 502s\n`,
);
console.log(
  '| requests | server RSS MB | RSS after full GC | heap used after full GC | ledger held | evicted | s |',
);
console.log('|---|---|---|---|---|---|---|');
for (const sample of samples) {
  console.log(
    `| ${sample.requests} | ${sample.rssMb.toFixed(1)} | ${sample.gcRssMb.toFixed(1)} | ${sample.heapMb.toFixed(1)} | ` +
      `${sample.held} | ${sample.evicted} | ${sample.seconds.toFixed(1)} |`,
  );
}
const figures = (pick: (sample: Sample) => number, name: string): string =>
  `${name}: start ${pick(start as Sample).toFixed(1)} MB, after ${WARMUP} requests (warm-up) ` +
  `${pick(warm as Sample).toFixed(1)} MB, end ${pick(end as Sample).toFixed(1)} MB ` +
  `(${(pick(end as Sample) - pick(warm as Sample)).toFixed(1)} MB after warm-up)`;
console.log(`\n${figures((sample) => sample.rssMb, 'RSS')}`);
console.log(figures((sample) => sample.gcRssMb, 'RSS after a full GC'));
console.log(figures((sample) => sample.heapMb, 'heap used after a full GC'));
console.log(
  `attempts ${attempts}, held + evicted ${(end?.held ?? 0) + (end?.evicted ?? 0)}; failed requests ${failed}`,
);
