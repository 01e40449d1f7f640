/**
 * Soak: a fixed run of requests through the Express gateway on its default (memory) store, with the
 * server's resident memory read at the start, after a warm-up and at the end, and the ledger's own
 * account (held, evicted) beside it. One request in twenty fails once upstream (a 502, then the
 * fallback), so failed attempts are in the ledger too. Before the ledger was bounded, RSS grew
 * with every request; now it should level off once the ledger is at its cap.
 *
 * Run: pnpm --filter @switchyard/gateway-bench bench:soak
 *   env SOAK_REQUESTS (default 60000), SOAK_WARMUP (default 25000), SOAK_MAX_ENTRIES (the
 *   config's ledger.maxEntries; default 20000), SOAK_CONNECTIONS (default 32)
 */
import { readFileSync } from 'node:fs';
import { Pool } from 'undici';
import { BODY, HEADERS, SERVERS, startServer, startUpstream, stopAll } from './bench-servers.js';

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
  held: number;
  evicted: number;
  seconds: number;
}

const samples: Sample[] = [];
let attempts = 0;
let failed = 0;
try {
  const upstream = await startUpstream({
    mockArgs: ['--fault', '502=0.05'],
    config: { ledger: { maxEntries: MAX_ENTRIES }, retry: { baseDelayMs: 1, maxDelayMs: 5 } },
  });
  const express = SERVERS.find((server) => server.name === 'Express gateway');
  if (express === undefined) throw new Error('no Express gateway among the servers');
  const gateway = await startServer(express, upstream, { SWITCHYARD_ADMIN_KEY: ADMIN_KEY });
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
    samples.push({
      requests,
      rssMb: rssMb(gateway.pid),
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
console.log('| requests | server RSS MB | ledger held | evicted | s |');
console.log('|---|---|---|---|---|');
for (const sample of samples) {
  console.log(
    `| ${sample.requests} | ${sample.rssMb.toFixed(1)} | ${sample.held} | ${sample.evicted} | ${sample.seconds.toFixed(1)} |`,
  );
}
console.log(
  `\nRSS: start ${start?.rssMb.toFixed(1)} MB, after ${WARMUP} requests (warm-up) ${warm?.rssMb.toFixed(1)} MB, ` +
    `end ${end?.rssMb.toFixed(1)} MB (${((end?.rssMb ?? 0) - (warm?.rssMb ?? 0)).toFixed(1)} MB after warm-up)`,
);
console.log(
  `attempts ${attempts}, held + evicted ${(end?.held ?? 0) + (end?.evicted ?? 0)}; failed requests ${failed}`,
);
