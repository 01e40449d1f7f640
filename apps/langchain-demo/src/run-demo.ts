import { type Router, summarizeSpend } from '@switchyard/core';
import type { MockUpstream } from '@switchyard/mock-upstream';
import { CHEAP_MODEL, PREMIUM_MODEL } from './demo-config.js';
import { formatTrace, usd } from './format-trace.js';
import { type StreamedAnswer, streamAnswer } from './streamed-answer.js';
import { runSummaryChain, type SummaryResult } from './summary-chain.js';
import { runToolCalling, type ToolRoundTrip } from './tool-calling.js';
import { type AgentRun, runWeatherAgent } from './weather-agent.js';

/** Everything the demo produced, for its tests. */
export interface DemoResults {
  summary: SummaryResult;
  streamed: StreamedAnswer;
  tools: ToolRoundTrip;
  agent: AgentRun;
  /** The spend ledger's total over the whole demo, USD. */
  totalUsd: string;
}

/**
 * Runs the four examples against a router on the embedded mock upstream, printing each result
 * with its routing trace and cost. The mock is told what to get wrong, so that the cascade and
 * the fallback show themselves.
 */
export async function runDemo(options: {
  router: Router;
  mock: MockUpstream;
  print: (text: string) => void;
}): Promise<DemoResults> {
  const { router, mock, print } = options;

  print('1. prompt | ChatSwitchyard (cascade "smart") | structured output');
  print(`   (mock: ${CHEAP_MODEL} answers prose instead of the JSON the schema asks for)`);
  mock.script(CHEAP_MODEL, [
    { kind: 'success', content: 'Sure! This text is upbeat, I would call it "Launch day".' },
  ]);
  const summary = await runSummaryChain(
    router,
    'The launch went well: users love the new router, costs are down.',
  );
  print(`   result: ${JSON.stringify(summary.summary)}`);
  print(formatTrace(summary.metadata));

  print('\n2. stream on the fallback route "default"');
  print(`   (mock: ${PREMIUM_MODEL} answers 503 before its first byte)`);
  mock.script(PREMIUM_MODEL, [{ kind: 'error', status: 503 }]);
  const tokens: string[] = [];
  const streamed = await streamAnswer({
    router,
    question: 'Why route LLM calls?',
    onToken: (token) => tokens.push(token),
  });
  print(`   streamed ${tokens.length} chunks: ${streamed.text}`);
  print(formatTrace(streamed.metadata));

  print('\n3. bindTools: a tool call and its ToolMessage round trip');
  const tools = await runToolCalling(router, 'What is the weather in Oslo?');
  print(`   tool call: ${tools.call.name}(${JSON.stringify(tools.call.args)}) → ${tools.toolResult}`);
  print(`   answer: ${tools.answer}`);
  for (const metadata of tools.metadata) print(formatTrace(metadata));

  print('\n4. createAgent with switchyardMiddleware (a route per step)');
  const agent = await runWeatherAgent(router, 'Should I bring sunglasses to Oslo?');
  print(`   answer: ${agent.answer}`);
  agent.steps.forEach((step, index) => {
    print(`   step ${index + 1}:`);
    print(formatTrace(step));
  });

  const spend = summarizeSpend(await router.ledger.query());
  print(
    `\nTotal: ${spend.attempts} upstream attempts, ${usd(spend.costUsd)} (of which ${usd(spend.feeUsd)} platform fees), from the spend ledger.`,
  );
  return { summary, streamed, tools, agent, totalUsd: spend.costUsd };
}
