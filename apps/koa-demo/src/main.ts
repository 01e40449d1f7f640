import { loadConfig, type SwitchyardConfig } from '@switchyard/core';
import { DEMO_KEY, demoBanner, startEmbeddedUpstream } from '@switchyard/demo-kit';
import { pino } from 'pino';
import { startDemo } from './start-demo.js';

// `pnpm --filter @switchyard/koa-demo start`: the embedded default (the mock upstream in-process),
// or SWITCHYARD_CONFIG=<file> for a real configuration. PORT and HOST choose where to listen.
const logger = pino({ name: 'koa-demo' });
const port = Number(process.env.PORT ?? 8788);
const host = process.env.HOST ?? '127.0.0.1';
const configFile = process.env.SWITCHYARD_CONFIG;

let config: SwitchyardConfig;
let closeUpstream = async (): Promise<void> => undefined;
if (configFile === undefined || configFile === '') {
  const embedded = await startEmbeddedUpstream();
  config = embedded.config;
  closeUpstream = () => embedded.mock.close();
} else {
  config = await loadConfig(configFile);
}

const adminKey = process.env.SWITCHYARD_ADMIN_KEY?.trim() || undefined;
const demo = await startDemo({
  config,
  port,
  host,
  logger,
  metrics: process.env.SWITCHYARD_METRICS?.trim().toLowerCase() !== 'off',
  ...(adminKey === undefined ? {} : { adminKey }),
});
const noKeys = (config.keys ?? []).length === 0;
// The demo key is printed because it is not a secret; a configured key never is.
const embedded = configFile === undefined || configFile === '';
console.log(
  demoBanner({
    name: 'Koa demo',
    url: demo.url,
    source: embedded ? 'embedded mock upstream' : `config ${configFile}`,
    key: noKeys ? undefined : embedded ? DEMO_KEY : '$SWITCHYARD_KEY',
    curls: [
      {
        path: '/v1/chat/completions',
        body: '{"model":"default","messages":[{"role":"user","content":"Hello!"}]}',
      },
      {
        path: '/summarize',
        body: '{"text":"Koa is a small web framework. Switchyard routes LLM calls. The cascade tries the cheap model first."}',
      },
      { path: '/v1/models' },
    ],
  }),
);

let stopping = false;
const stop = async (): Promise<void> => {
  if (stopping) return;
  stopping = true;
  await demo.close();
  await closeUpstream();
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
