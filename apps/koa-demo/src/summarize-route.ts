import { GatewayError, readJsonBody } from '@switchyard/core/node';
import { SUMMARIZE_INSTRUCTION, type Summary, SummarySchema } from '@switchyard/demo-kit';
import type { Middleware } from 'koa';

/** The answer text as JSON, a single fenced ```json block accepted (as the validators accept it). */
function parseAnswer(text: string): unknown {
  const fenced = /^```(?:json)?\s*([\s\S]*?)\s*```$/.exec(text.trim());
  return JSON.parse(fenced?.[1] ?? text);
}

/** Reads `{ text }` from the request body: 413 past 64 KiB, 400 naming the bad field. */
async function readText(request: Parameters<typeof readJsonBody>[0]): Promise<string> {
  const body = await readJsonBody(request, { limitBytes: 64 * 1024 });
  const text = typeof body === 'object' && body !== null ? (body as { text?: unknown }).text : undefined;
  if (typeof text !== 'string' || text.trim() === '') {
    throw new GatewayError({
      status: 400,
      code: 'invalid_parameter',
      param: 'text',
      message: 'text: required, a non-empty string',
    });
  }
  return text;
}

/**
 * `POST /summarize` `{ text }` → `{ title, bullets, model, escalated, costUsd }`: one call through
 * `ctx.state.switchyard` on a cascade route, with a zod schema as the validator, so an answer that
 * is not a summary escalates to the next model instead of reaching the client.
 */
export function summarize(options: { model: string }): Middleware {
  return async (ctx) => {
    const text = await readText(ctx.req);
    const { response, trace } = await ctx.state.switchyard.chat(
      {
        model: options.model,
        messages: [
          { role: 'system', content: SUMMARIZE_INSTRUCTION },
          { role: 'user', content: text },
        ],
      },
      { validate: [SummarySchema] },
    );
    // The validator accepted the answer; parsing it again gives the typed value.
    const summary: Summary = SummarySchema.parse(parseAnswer(response.choices[0]?.message.content ?? ''));
    ctx.body = {
      ...summary,
      model: trace.served?.returnedModel,
      escalated: trace.escalated,
      costUsd: trace.costUsd,
    };
  };
}
