/**
 * Measures what the Responses and Anthropic Messages doors add per request over the chat door:
 *   1. the doors' own work alone (read the body, translate it, check it, translate the answer and
 *      write it as JSON; for streams, translate and serialize every chunk) over answers recorded
 *      from the mock upstream, chat door vs Responses door vs Messages door, interleaved;
 *   2. the whole request over HTTP: one in-process bridge (`createGateway`) whose router answers
 *      from an in-memory transport, the same conversation sent to `/chat/completions`,
 *      `/responses` and `/messages` in turn by an undici client, JSON and SSE.
 * Part 2 includes the loopback HTTP, the body read and the router on every door alike, so its
 * "added" columns are the translation plus noise; part 1 is the translation itself.
 *
 * Run: pnpm --filter @switchyard/core exec tsx bench/dialects.ts
 *   (env BENCH_REQUESTS: HTTP requests per door, default 5000; BENCH_ITERATIONS: translations per
 *   door in part 1, default 50000)
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import type { SwitchyardConfig } from '../src/config/config-types.js';
import { toMessagesAnswer } from '../src/dialects/messages/messages-answer.js';
import { translateMessagesRequest } from '../src/dialects/messages/messages-request.js';
import { MessagesStreamTranslator } from '../src/dialects/messages/messages-stream.js';
import { toResponsesAnswer } from '../src/dialects/responses/responses-answer.js';
import { translateResponsesRequest } from '../src/dialects/responses/responses-request.js';
import { ResponsesStreamTranslator } from '../src/dialects/responses/responses-stream.js';
import type { DialectEvent } from '../src/dialects/stream-translator.js';
import { checkChatRequest } from '../src/node/check-chat-request.js';
import { createGateway } from '../src/node/create-gateway.js';
import { createRouter } from '../src/router/create-router.js';
import type { Transport } from '../src/transport/transport.js';
import { TEXT_ANSWER, TEXT_CHUNKS, TEXT_USAGE } from '../test/support/recorded-chat.js';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 5_000);
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 50_000);
const KEY = 'sk-bench-gateway';

const SYSTEM = 'You are a helpful assistant. Answer in one sentence.';
const QUESTION = 'What is the capital of France, and why is it famous?';

/** The same conversation in each door's dialect. */
const BODIES = {
  chat: JSON.stringify({
    model: 'default',
    max_tokens: 256,
    messages: [
      { role: 'system', content: SYSTEM },
      { role: 'user', content: QUESTION },
    ],
  }),
  responses: JSON.stringify({
    model: 'default',
    max_output_tokens: 256,
    instructions: SYSTEM,
    input: QUESTION,
  }),
  messages: JSON.stringify({
    model: 'default',
    max_tokens: 256,
    system: SYSTEM,
    messages: [{ role: 'user', content: QUESTION }],
  }),
} as const;

type Door = keyof typeof BODIES;
const DOORS: readonly Door[] = ['chat', 'responses', 'messages'];

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

const format = (microseconds: number): string => `${microseconds.toFixed(2)} µs`;

const sse = (events: readonly DialectEvent[]): string => {
  let text = '';
  for (const event of events) text += `event: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`;
  return text;
};

/** One request's door work, non-streamed: body in, answer out, as each door does it. */
const answerWork: Record<Door, () => number> = {
  chat: () => {
    const chat = checkChatRequest(JSON.parse(BODIES.chat));
    const usage = { ...TEXT_ANSWER.usage, cost: Number('0.000012027') };
    return JSON.stringify({ ...TEXT_ANSWER, usage }).length + chat.messages.length;
  },
  responses: () => {
    const { chat, echo } = translateResponsesRequest(JSON.parse(BODIES.responses));
    checkChatRequest(chat);
    const answer = toResponsesAnswer({
      completion: TEXT_ANSWER,
      identity: { requestId: 'swy-bench-1', model: TEXT_ANSWER.model, createdAt: TEXT_ANSWER.created, echo },
      usage: TEXT_USAGE,
      costUsd: '0.000012027',
    });
    return JSON.stringify(answer).length;
  },
  messages: () => {
    const { chat, stopSequences } = translateMessagesRequest(JSON.parse(BODIES.messages));
    checkChatRequest(chat);
    const answer = toMessagesAnswer({
      completion: TEXT_ANSWER,
      requestId: 'swy-bench-1',
      stopSequences,
      usage: TEXT_USAGE,
      costUsd: '0.000012027',
    });
    return JSON.stringify(answer).length;
  },
};

/** One request's door work, streamed: body in, every chunk out as the door writes it. */
const streamWork: Record<Door, () => number> = {
  chat: () => {
    checkChatRequest(JSON.parse(BODIES.chat));
    let size = 0;
    for (const chunk of TEXT_CHUNKS) size += `data: ${JSON.stringify(chunk)}\n\n`.length;
    return size;
  },
  responses: () => {
    const { chat, echo } = translateResponsesRequest(JSON.parse(BODIES.responses));
    checkChatRequest(chat);
    const stream = new ResponsesStreamTranslator({
      requestId: 'swy-bench-1',
      model: TEXT_ANSWER.model,
      createdAt: 1,
      echo,
    });
    let size = sse(stream.start()).length;
    for (const chunk of TEXT_CHUNKS) size += sse(stream.chunk(chunk)).length;
    return size + sse(stream.end({ usage: TEXT_USAGE, costUsd: '0.000012027' })).length;
  },
  messages: () => {
    const { chat, stopSequences } = translateMessagesRequest(JSON.parse(BODIES.messages));
    checkChatRequest(chat);
    const stream = new MessagesStreamTranslator({
      requestId: 'swy-bench-1',
      model: TEXT_ANSWER.model,
      stopSequences,
    });
    let size = sse(stream.start()).length;
    for (const chunk of TEXT_CHUNKS) size += sse(stream.chunk(chunk)).length;
    return size + sse(stream.end({ usage: TEXT_USAGE, costUsd: '0.000012027' })).length;
  },
};

/**
 * Times each door's work in batches of 20 (one call is below the timer's resolution), the doors
 * interleaved batch by batch so that drift and garbage collection hit them alike.
 */
function timeWork(work: Record<Door, () => number>): Record<Door, number[]> {
  const batch = 20;
  const samples: Record<Door, number[]> = { chat: [], responses: [], messages: [] };
  let sink = 0;
  for (let round = 0; round < (ITERATIONS / batch) * 1.2; round += 1) {
    for (const door of DOORS) {
      const run = work[door];
      const start = process.hrtime.bigint();
      for (let index = 0; index < batch; index += 1) sink += run();
      const elapsed = Number(process.hrtime.bigint() - start) / 1000 / batch;
      // The first sixth warms the JIT up.
      if (round >= ITERATIONS / batch / 5) samples[door].push(elapsed);
    }
  }
  if (sink === 0) throw new Error('unreachable: the work produced nothing');
  for (const door of DOORS) samples[door].sort((a, b) => a - b);
  return samples;
}

function report(title: string, samples: Record<Door, number[]>): void {
  console.log(`\n## ${title}\n`);
  console.log('| door | median | p99 | added median over chat | added p99 |');
  console.log('|---|---|---|---|---|');
  const chat = { median: quantile(samples.chat, 0.5), p99: quantile(samples.chat, 0.99) };
  for (const door of DOORS) {
    const median = quantile(samples[door], 0.5);
    const p99 = quantile(samples[door], 0.99);
    const added = door === 'chat' ? '| |' : `| ${format(median - chat.median)} | ${format(p99 - chat.p99)} |`;
    console.log(`| ${door} | ${format(median)} | ${format(p99)} ${added}`);
  }
}

/** A transport that answers every call at once: the recorded answer, or its chunks as SSE. */
function inMemoryTransport(): Transport {
  const json = JSON.stringify(TEXT_ANSWER);
  const events = Buffer.from(
    `${TEXT_CHUNKS.map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`).join('')}data: [DONE]\n\n`,
  );
  return {
    send: async (request) => ({
      status: 200,
      headers: { 'content-type': request.stream ? 'text/event-stream' : 'application/json' },
      text: async () => json,
      chunks: async function* () {
        yield events;
      },
    }),
    close: async () => undefined,
  };
}

async function httpBenchmark(stream: boolean): Promise<Record<Door, number[]>> {
  const config: SwitchyardConfig = {
    providers: { mock: { baseURL: 'http://127.0.0.1:9/api/v1', apiKey: 'sk-or-bench' } },
    models: {
      primary: {
        provider: 'mock',
        model: 'openai/gpt-4o-mini',
        pricing: { prompt: '0.00000015', completion: '0.0000006' },
      },
    },
    routes: { default: { strategy: 'fallback', targets: ['primary'] } },
  };
  const router = createRouter({ config, transport: inMemoryTransport() });
  const gateway = createGateway({ router, keys: [{ name: 'bench', key: KEY }] });
  const server = createServer((request, response) => {
    void gateway.handle(request, response, (request.url ?? '').slice('/v1'.length));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const pool = new Pool(origin, { connections: 1, pipelining: 1 });
  const bodies = Object.fromEntries(
    DOORS.map((door) => {
      const body = JSON.parse(BODIES[door]) as Record<string, unknown>;
      return [door, JSON.stringify(stream ? { ...body, stream: true } : body)];
    }),
  ) as Record<Door, string>;
  const paths: Record<Door, string> = {
    chat: '/v1/chat/completions',
    responses: '/v1/responses',
    messages: '/v1/messages',
  };
  const samples: Record<Door, number[]> = { chat: [], responses: [], messages: [] };
  const warmUp = Math.ceil(REQUESTS / 5);
  for (let round = 0; round < REQUESTS + warmUp; round += 1) {
    for (const door of DOORS) {
      const start = process.hrtime.bigint();
      const { statusCode, body } = await pool.request({
        method: 'POST',
        path: paths[door],
        headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
        body: bodies[door],
      });
      await body.text();
      const elapsed = Number(process.hrtime.bigint() - start) / 1000;
      if (statusCode !== 200) throw new Error(`${paths[door]} answered ${statusCode}`);
      if (round >= warmUp) samples[door].push(elapsed);
    }
  }
  await pool.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await router.close();
  for (const door of DOORS) samples[door].sort((a, b) => a - b);
  return samples;
}

console.log(
  `# Switchyard dialect doors: added time per request — Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`,
);
report(`The doors' own work, non-streamed (${ITERATIONS} per door)`, timeWork(answerWork));
report(
  `The doors' own work, streamed: ${TEXT_CHUNKS.length} chunks (${ITERATIONS} per door)`,
  timeWork(streamWork),
);
report(`Whole request over loopback HTTP, JSON (${REQUESTS} per door)`, await httpBenchmark(false));
report(`Whole request over loopback HTTP, SSE (${REQUESTS} per door)`, await httpBenchmark(true));
