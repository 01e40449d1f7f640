import { readJsonBody } from '@switchyard/core/node';
import { SUMMARIZE_INSTRUCTION, type Summary, SummarySchema, summaryText } from '@switchyard/demo-kit';
import type { Middleware } from 'koa';

/**
 * `POST /summarize` `{ text }` → `{ title, bullets, model, escalated, costUsd }`: one call through
 * `ctx.state.switchyard` on a cascade route, with a zod schema as the validator, so an answer that
 * is not a summary escalates to the next model instead of reaching the client.
 */
export function summarize(options: { model: string }): Middleware {
  return async (ctx) => {
    // 413 past 64 KiB, 400 naming the field when `text` is missing.
    const text = summaryText(await readJsonBody(ctx.req, { limitBytes: 64 * 1024 }));
    const { parsed, trace } = await ctx.state.switchyard.chat(
      {
        model: options.model,
        messages: [
          { role: 'system', content: SUMMARIZE_INSTRUCTION },
          { role: 'user', content: text },
        ],
      },
      { validate: [SummarySchema] },
    );
    // The schema accepted the answer; what it parsed comes back with the result.
    const summary = parsed as Summary;
    ctx.body = {
      ...summary,
      model: trace.served?.returnedModel,
      escalated: trace.escalated,
      costUsd: trace.costUsd,
    };
  };
}
