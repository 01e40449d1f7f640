import { loadConfig, type SwitchyardConfig } from '@switchyard/core';
import { DEMO_KEY, startEmbeddedUpstream } from '@switchyard/demo-kit';
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

const demo = await startDemo({ config, port, host, logger });
// A wildcard address is not one curl can reach; loopback is.
const origin = demo.url.replace(/\/\/(0\.0\.0\.0|\[::\])(?=:)/, '//127.0.0.1');
// The demo key is printed because it is not a secret; a configured key never is.
const key = configFile === undefined || configFile === '' ? DEMO_KEY : '$SWITCHYARD_KEY';
const noKeys = (config.keys ?? []).length === 0;
const auth = noKeys ? '' : ` \\\n  -H "authorization: Bearer ${key}"`;

console.log(`Switchyard Koa demo on ${origin} (${configFile ? `config ${configFile}` : 'embedded mock upstream'})
${noKeys ? '\nWARNING: no gateway keys are configured: the gateway is open to anyone who can reach it.\n' : ''}
Try it:

curl -s ${origin}/v1/chat/completions${auth} \\
  -H "content-type: application/json" \\
  -d '{"model":"default","messages":[{"role":"user","content":"Hello!"}]}'

curl -s ${origin}/summarize${auth} \\
  -H "content-type: application/json" \\
  -d '{"text":"Koa is a small web framework. Switchyard routes LLM calls. The cascade tries the cheap model first."}'

curl -s ${origin}/v1/models${auth}
`);

let stopping = false;
const stop = async (): Promise<void> => {
  if (stopping) return;
  stopping = true;
  await demo.close();
  await closeUpstream();
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
