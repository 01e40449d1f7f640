import { ChatPromptTemplate } from '@langchain/core/prompts';
import type { Router } from '@switchyard/core';
import { ChatSwitchyard, type SwitchyardResponseMetadata } from '@switchyard/langchain';
import { z } from 'zod';
import { requireMetadata } from './format-trace.js';

/** What the chain extracts from a text. */
export const Summary = z.object({
  title: z.string().describe('A short title'),
  sentiment: z.enum(['positive', 'neutral', 'negative']),
  confidence: z.number().describe('0 to 1'),
});

/** The chain's result: the parsed summary and the routing metadata of the answer it came from. */
export interface SummaryResult {
  summary: z.infer<typeof Summary>;
  metadata: SwitchyardResponseMetadata;
}

/**
 * prompt | ChatSwitchyard on the cheap-first cascade `smart` | structured output. The zod schema
 * is also the cascade's validator: a cheap answer that does not fit escalates to the premium model
 * before LangChain parses anything.
 */
export async function runSummaryChain(router: Router, text: string): Promise<SummaryResult> {
  const prompt = ChatPromptTemplate.fromMessages([
    ['system', 'Summarise the text: a title, its sentiment and your confidence.'],
    ['human', '{text}'],
  ]);
  const model = new ChatSwitchyard({ router, model: 'smart', temperature: 0 });
  const chain = prompt.pipe(model.withStructuredOutput(Summary, { name: 'summary', includeRaw: true }));
  const { raw, parsed } = await chain.invoke({ text });
  return { summary: parsed, metadata: requireMetadata(raw) };
}
