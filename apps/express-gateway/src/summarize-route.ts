import type { BudgetConfig } from '@switchyard/core';
import { GatewayError, type GatewayKey, type KeyRing } from '@switchyard/core/node';
import { type Router as ExpressRouter, json, Router } from 'express';
import { z } from 'zod';

/** What `/summarize` answers with, and what the model must produce (checked before it counts). */
export const Summary = z.object({
  title: z.string().min(3),
  summary: z.string().min(10),
  bullets: z.array(z.string()).max(5),
});

const INSTRUCTIONS =
  'Summarize the text the user sends. Answer with JSON only, exactly this shape: ' +
  '{"title": string (at least 3 characters), "summary": string (one or two sentences), "bullets": string[] (at most 5)}.';

/**
 * `POST /summarize {"text": "..."}`: an ordinary Express route whose handler calls LLMs through
 * `req.switchyard`: a cheap-first cascade (`model`), with a zod schema as the validator, so a cheap
 * answer that is not the right JSON escalates to the next model. Callers authenticate with a gateway
 * key (when keys are configured); the key's budget applies.
 */
export function summarizeRoute(options: { model: string; keys: KeyRing }): ExpressRouter {
  const router = Router();
  router.post('/summarize', json({ limit: '256kb' }), async (request, response) => {
    const key = response.locals.key as GatewayKey | undefined;
    const text = (request.body as { text?: unknown } | undefined)?.text;
    if (typeof text !== 'string' || text.trim() === '') {
      throw new GatewayError({
        code: 'invalid_parameter',
        param: 'text',
        message: 'text: required: the text to summarize, a non-empty string',
      });
    }
    options.keys.authorize(key, [options.model]);
    const budgets: BudgetConfig[] = key?.budget === undefined ? [] : [key.budget];
    const { parsed, trace } = await request.switchyard.chat(
      {
        model: options.model,
        messages: [
          { role: 'system', content: INSTRUCTIONS },
          { role: 'user', content: text },
        ],
        response_format: { type: 'json_object' },
        max_tokens: 600,
      },
      { validate: [Summary], budgets, tags: ['summarize'] },
    );
    // The zod validator accepted the answer; what it parsed comes back with the result.
    const summary = parsed as z.infer<typeof Summary>;
    response.json({
      ...summary,
      servedBy: trace.served?.returnedModel,
      escalated: trace.escalated,
      attempts: trace.attempts.map((attempt) => ({ model: attempt.model, outcome: attempt.outcome })),
      costUsd: trace.costUsd,
    });
  });
  return router;
}
