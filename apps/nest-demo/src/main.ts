import { ConfigError } from '@switchyard/core';
import { type RunningDemo, startDemo } from './start-demo.js';

// `pnpm --filter @switchyard/nest-demo start`: the embedded default (the mock upstream in-process),
// or SWITCHYARD_CONFIG=<file> for a real configuration. PORT and HOST choose where to listen.
const port = Number(process.env.PORT ?? 8789);
const host = process.env.HOST ?? '127.0.0.1';
const configFile = process.env.SWITCHYARD_CONFIG;
const embedded = configFile === undefined || configFile === '';

let demo: RunningDemo;
try {
  demo = await startDemo({ port, host, ...(embedded ? {} : { config: configFile }) });
} catch (error) {
  // Every problem of the configuration, each with its path; no stack trace.
  if (!ConfigError.isInstance(error)) throw error;
  console.error(error.message);
  process.exit(1);
}
// A wildcard address is not one curl can reach; loopback is.
const origin = demo.url.replace(/\/\/(0\.0\.0\.0|\[::\])(?=:)/, '//127.0.0.1');
const noKeys = (demo.source.config.keys ?? []).length === 0;
// The demo key is printed because it is not a secret; a configured key never is.
const key = embedded ? (demo.source.config.keys?.[0]?.key ?? '') : '$SWITCHYARD_KEY';
const auth = noKeys ? '' : ` \\\n  -H "authorization: Bearer ${key}"`;

console.log(`Switchyard Nest demo on ${origin} (${demo.source.description})
${noKeys ? '\nWARNING: no gateway keys are configured: the gateway is open to anyone who can reach it.\n' : ''}
Try it:

curl -s ${origin}/v1/chat/completions${auth} \\
  -H "content-type: application/json" \\
  -d '{"model":"default","messages":[{"role":"user","content":"Hello!"}]}'

curl -s ${origin}/summarize${auth} \\
  -H "content-type: application/json" \\
  -H "x-user-id: ada" \\
  -d '{"text":"Nest modules wire services together. Switchyard routes LLM calls. The cascade tries the cheap model first."}'

curl -s ${origin}/v1/models${auth}

curl -s ${origin}/health
`);

let stopping = false;
const stop = async (): Promise<void> => {
  if (stopping) return;
  stopping = true;
  await demo.close();
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
