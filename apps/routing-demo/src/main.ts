import { createRouter, RoutingError, type SwitchyardConfig, summarizeSpend } from '@switchyard/core';
import { startMockUpstream } from '@switchyard/mock-upstream';
import { formatTrace } from './print-trace.js';

// The embedded default: a loopback mock upstream that speaks OpenRouter's wire, quirks included.
const quiet = process.argv.includes('--quiet');
const mock = await startMockUpstream({ seed: 7 });
const say = (text: string): void => {
  if (!quiet) console.log(text);
};

const CHEAP = 'meta-llama/llama-3.3-70b-instruct';
const PREMIUM = 'anthropic/claude-sonnet-4.6';
const FAST = 'openai/gpt-4o-mini';
const SMALL = 'mock/small-8k';

const config: SwitchyardConfig = {
  providers: {
    openrouter: {
      fee: { percent: '5.5' },
      baseURL: mock.url,
      apiKey: 'sk-or-demo-key-not-secret',
      headers: { 'X-OpenRouter-Title': 'switchyard-demo' },
    },
  },
  models: {
    cheap: {
      provider: 'openrouter',
      model: CHEAP,
      pricing: { prompt: '0.00000012', completion: '0.0000003' },
    },
    premium: {
      provider: 'openrouter',
      model: PREMIUM,
      pricing: { prompt: '0.000003', completion: '0.000015' },
    },
    fast: { provider: 'openrouter', model: FAST, pricing: { prompt: '0.00000015', completion: '0.0000006' } },
    small: { provider: 'openrouter', model: SMALL, contextLength: 8192 },
    free: { provider: 'openrouter', model: `${CHEAP}:free` },
  },
  routes: {
    default: { strategy: 'fallback', targets: ['premium', 'cheap'] },
    smart: { strategy: 'cascade', targets: ['cheap', 'premium'], validate: { json: true } },
    thrifty: { strategy: 'cheapest', targets: ['premium', 'fast', 'cheap'] },
    race: { strategy: 'hedge', targets: ['premium', 'fast'], hedgeAfterMs: 150 },
    roomy: { strategy: 'fallback', targets: ['small', 'premium'] },
    llama: { strategy: 'fallback', targets: ['free', 'cheap'] },
  },
  timeouts: { attemptMs: 5000 },
  // OpenRouter's free variants allow 20 requests a minute: past that, the paid variant serves.
  limits: [{ scope: 'model', match: '*:free', rpm: 20, rpd: 50 }],
  budgets: [{ scope: 'key', match: 'demo-team', usd: '0.50', period: 'day' }],
};
const router = createRouter({ config });
const ask = (model: string, content: string) => ({ model, messages: [{ role: 'user' as const, content }] });

let failures = 0;
async function scenario(title: string, run: () => Promise<Parameters<typeof formatTrace>[1]>): Promise<void> {
  try {
    say(formatTrace(title, await run()));
  } catch (error) {
    failures += 1;
    const trace = RoutingError.isInstance(error) ? (error as RoutingError).trace : undefined;
    say(
      `✗ ${title}: ${(error as Error).message}${trace === undefined ? '' : `\n${formatTrace(title, trace)}`}`,
    );
  }
  say('');
}

say(`Switchyard routing demo — mock upstream at ${mock.url}\n`);

await scenario('Fallback: the premium model answers 503, the cheap one serves', async () => {
  mock.script(PREMIUM, [{ kind: 'error', status: 503 }]);
  return (await router.chat(ask('default', 'Say hello.'))).trace;
});

await scenario('A successful but bad answer: HTTP 200 with an error body falls through', async () => {
  mock.script(PREMIUM, [{ kind: 'error-200' }]);
  return (await router.chat(ask('default', 'Say hello.'))).trace;
});

await scenario('Cheap-first cascade: the cheap answer is not JSON, so it escalates', async () => {
  mock.setReply(CHEAP, 'Sure! Here is your JSON: {"title": "x"}');
  mock.setReply(PREMIUM, '{"title": "Quarterly report", "tags": ["finance"]}');
  return (await router.chat(ask('smart', 'Give me a JSON title for the report.'))).trace;
});

await scenario('Cheapest: the estimated cost of this request picks the target', async () => {
  return (await router.chat(ask('thrifty', 'Summarize: the meeting moved to Tuesday.'))).trace;
});

await scenario(
  'Hedged: premium is slow, fast starts after 150 ms and wins; the loser is aborted',
  async () => {
    mock.script(PREMIUM, [{ kind: 'success', delayMs: 2000 }]);
    return (await router.chat(ask('race', 'Quick question.'))).trace;
  },
);

await scenario('Context window: a long prompt skips the 8k model', async () => {
  return (await router.chat(ask('roomy', 'Notes from the meeting. '.repeat(2000)))).trace;
});

await scenario('Rate limited with Retry-After: 1 on the only target: wait, then retry', async () => {
  mock.script(CHEAP, [{ kind: 'error', status: 429, retryAfterSeconds: 1 }]);
  return (await router.chat(ask('cheap', 'Say hello.'))).trace;
});

await scenario(
  'Streaming: the first target resets before its first chunk; fallback still works',
  async () => {
    mock.setReply(CHEAP, 'Streaming through the fallback target, chunk by chunk.');
    mock.script(PREMIUM, [{ kind: 'reset' }]);
    const stream = await router.stream(ask('default', 'Stream something.'));
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    say(`  streamed: "${text}"`);
    return stream.trace;
  },
);

await scenario(
  'Streaming: an error after the first chunk is a typed error, never a silent success',
  async () => {
    mock.script(PREMIUM, [{ kind: 'mid-stream-error', afterChunks: 2 }]);
    const stream = await router.stream(ask('default', 'Stream something.'));
    try {
      for await (const _chunk of stream) {
        // read until the upstream breaks
      }
    } catch (error) {
      say(`  caught ${(error as RoutingError).code}: ${(error as Error).message}`);
      return stream.trace;
    }
    throw new Error('the broken stream ended as a success');
  },
);

await scenario(
  'Rate limit: the :free variant allows 20 requests a minute, then the paid one serves',
  async () => {
    for (let index = 0; index < 20; index += 1) await router.chat(ask('llama', 'Say hello.'));
    return (await router.chat(ask('llama', 'Say hello.'))).trace;
  },
);

await scenario(
  'Cost ceiling: max_tokens unset prices the premium model at its maximum completion',
  async () => {
    const result = await router.chat(ask('default', 'Summarize the memo.'), {
      maxCostUsd: '0.05',
      caller: { key: 'demo-team' },
    });
    return result.trace;
  },
);

const spent = await router.ledger.query({ key: 'demo-team' });
const all = summarizeSpend(await router.ledger.query());
say(
  `Ledger: ${all.attempts} settled attempts, $${all.costUsd} in all ($${all.feeUsd} of it fees); key demo-team: $${summarizeSpend(spent).costUsd}`,
);

await router.close();
await mock.close();
if (failures > 0) {
  console.error(`${failures} scenario(s) failed`);
  process.exitCode = 1;
} else if (quiet) {
  console.log('routing demo: 11 scenarios ran');
}
