import { createRouter } from '@switchyard/core';
import { startMockUpstream } from '@switchyard/mock-upstream';
import { demoConfig } from './demo-config.js';
import { runDemo } from './run-demo.js';

// `pnpm --filter @switchyard/langchain-demo start`: LangChain chains on Switchyard, on the embedded
// default (the mock upstream in-process, a fallback route and a cheap-first cascade). No real
// provider is called.
const mock = await startMockUpstream({ seed: 7 });
const router = createRouter({ config: demoConfig(mock.url) });
console.log(`Switchyard × LangChain on the embedded mock upstream (${mock.url})\n`);
try {
  await runDemo({ router, mock, print: (text) => console.log(text) });
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  await router.close();
  await mock.close();
}
