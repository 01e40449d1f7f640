/**
 * CPU time per request of each server: user + system time of the server process (from
 * `/proc/<pid>/stat`) over a fixed number of requests at 32 connections, repeated a few rounds.
 * Steadier than requests/s on a small, noisy machine: another process stealing the CPU slows a
 * server down but does not make it spend more CPU per request. Linux only.
 *
 * Run: pnpm --filter @switchyard/gateway-bench bench:cpu
 *   env BENCH_REQUESTS (default 20000 per round), BENCH_ROUNDS (default 3),
 *   BENCH_ONLY (a word of the servers' names to keep, e.g. "express")
 */
import autocannon from 'autocannon';
import { BODY, cpuMicros, HEADERS, SERVERS, startServer, startUpstream, stopAll } from './bench-servers.js';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 20_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const ONLY = process.env.BENCH_ONLY?.toLowerCase();

const fire = async (options: { url: string; model: string; amount: number }): Promise<number> => {
  const result = await autocannon({
    url: options.url,
    method: 'POST',
    connections: 32,
    amount: options.amount,
    headers: HEADERS,
    body: BODY(options.model),
  });
  return result.errors + result.non2xx;
};

const rows: Array<{ name: string; rounds: number[]; errors: number }> = [];
try {
  const upstream = await startUpstream();
  for (const server of SERVERS) {
    if (ONLY !== undefined && !server.name.toLowerCase().includes(ONLY)) continue;
    const contender = await startServer(server, upstream);
    await fire({ ...contender, amount: Math.min(REQUESTS, 5000) });
    const row = { name: contender.name, rounds: [] as number[], errors: 0 };
    for (let round = 0; round < ROUNDS; round += 1) {
      const before = cpuMicros(contender.pid);
      row.errors += await fire({ ...contender, amount: REQUESTS });
      row.rounds.push((cpuMicros(contender.pid) - before) / REQUESTS);
    }
    rows.push(row);
  }
} finally {
  stopAll();
}

console.log(
  `# Server CPU per request — Node ${process.version}, ${REQUESTS} requests × ${ROUNDS} rounds, 32 connections\n`,
);
console.log('| server (CPU 1) | CPU µs/request, median | rounds | errors |');
console.log('|---|---|---|---|');
for (const { name, rounds, errors } of rows) {
  const sorted = [...rounds].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
  console.log(
    `| ${name} | ${Math.round(median)} | ${rounds.map((value) => Math.round(value)).join(', ')} | ${errors} |`,
  );
}
