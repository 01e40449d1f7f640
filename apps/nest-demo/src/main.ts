import { ConfigError } from '@switchyard/core';
import { demoBanner } from '@switchyard/demo-kit';
import { type RunningDemo, startDemo } from './start-demo.js';

// `pnpm --filter @switchyard/nest-demo start`: the embedded default (the mock upstream in-process),
// or SWITCHYARD_CONFIG=<file> for a real configuration. PORT and HOST choose where to listen.
const port = Number(process.env.PORT ?? 8789);
const host = process.env.HOST ?? '127.0.0.1';
const configFile = process.env.SWITCHYARD_CONFIG;
const embedded = configFile === undefined || configFile === '';

let demo: RunningDemo;
try {
  const adminKey = process.env.SWITCHYARD_ADMIN_KEY?.trim() || undefined;
  demo = await startDemo({
    port,
    host,
    ...(embedded ? {} : { config: configFile }),
    metrics: process.env.SWITCHYARD_METRICS?.trim().toLowerCase() !== 'off',
    ...(adminKey === undefined ? {} : { adminKey }),
  });
} catch (error) {
  // Every problem of the configuration, each with its path; no stack trace.
  if (!ConfigError.isInstance(error)) throw error;
  console.error(error.message);
  process.exit(1);
}
const noKeys = (demo.source.config.keys ?? []).length === 0;
// The demo key is printed because it is not a secret; a configured key never is.
console.log(
  demoBanner({
    name: 'Nest demo',
    url: demo.url,
    source: demo.source.description,
    key: noKeys ? undefined : embedded ? (demo.source.config.keys?.[0]?.key ?? '') : '$SWITCHYARD_KEY',
    curls: [
      {
        path: '/v1/chat/completions',
        body: '{"model":"default","messages":[{"role":"user","content":"Hello!"}]}',
      },
      {
        path: '/summarize',
        headers: { 'x-user-id': 'ada' },
        body: '{"text":"Nest modules wire services together. Switchyard routes LLM calls. The cascade tries the cheap model first."}',
      },
      { path: '/v1/models' },
      { path: '/health' },
    ],
  }),
);

let stopping = false;
const stop = async (): Promise<void> => {
  if (stopping) return;
  stopping = true;
  await demo.close();
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
