import { createRouter, parseUsd } from '@switchyard/core';
import { startMockUpstream } from '@switchyard/mock-upstream';
import { expect, it } from 'vitest';
import { CHEAP_MODEL, demoConfig, PREMIUM_MODEL } from '../src/demo-config.js';
import { runDemo } from '../src/run-demo.js';

it('runs the four examples: cascade, fallback in a stream, a tool round trip, an agent', async () => {
  const mock = await startMockUpstream({ seed: 7 });
  const router = createRouter({ config: demoConfig(mock.url) });
  const printed: string[] = [];
  try {
    const results = await runDemo({ router, mock, print: (text) => printed.push(text) });

    // 1. The cheap model's prose failed the schema; the cascade escalated; LangChain parsed the rest.
    expect(results.summary.summary).toEqual({ title: 'example', sentiment: 'positive', confidence: 1 });
    expect(results.summary.metadata).toMatchObject({
      model_name: PREMIUM_MODEL,
      escalated: true,
      attempts: 2,
    });
    expect(results.summary.metadata.trace.attempts[0]).toMatchObject({
      model: CHEAP_MODEL,
      outcome: 'bad_output',
    });

    // 2. The premium model's 503 came before the first chunk: the stream fell back.
    expect(results.streamed.text).toBe(`Mock reply from ${CHEAP_MODEL}: you said "Why route LLM calls?".`);
    expect(results.streamed.metadata).toMatchObject({ model_name: CHEAP_MODEL, fallback: true });

    // 3. The tool call and its result went round.
    expect(results.tools.call).toEqual({ name: 'get_weather', args: { city: 'example' } });
    expect(results.tools.answer).toBe('The tool returned: Sunny and 21 °C in example');

    // 4. The agent's two model calls took the route the middleware chose.
    expect(results.agent.answer).toBe('The tool returned: Sunny and 21 °C in example');
    expect(results.agent.steps.map((step) => [step.route, step.model_name])).toEqual([
      ['default', PREMIUM_MODEL],
      ['smart', CHEAP_MODEL],
    ]);

    // The ledger's total is the sum of what each answer said it cost.
    const answers = [
      results.summary.metadata,
      results.streamed.metadata,
      ...results.tools.metadata,
      ...results.agent.steps,
    ];
    const sum = answers.reduce((total, metadata) => total + parseUsd(metadata.cost_usd), 0n);
    expect(parseUsd(results.totalUsd)).toBe(sum);
    expect(printed.join('\n')).toContain(`Total: 8 upstream attempts, $${results.totalUsd}`);
  } finally {
    await router.close();
    await mock.close();
  }
});
