import { GatewayError } from '@switchyard/core/node';
import { z } from 'zod';

/** What `POST /summarize` answers with: the model's JSON, checked by this schema. */
export const SummarySchema = z.object({
  title: z.string().min(1),
  bullets: z.array(z.string().min(1)).min(1).max(5),
});

/** A summary that passed {@link SummarySchema}. */
export type Summary = z.infer<typeof SummarySchema>;

/** The instruction `POST /summarize` sends; the embedded upstream recognises it. */
export const SUMMARIZE_INSTRUCTION =
  'Summarize the user\'s text. Answer with JSON only: {"title": string, "bullets": string[] (1 to 5)}.';

/** The `text` of a `POST /summarize` body; a 400 naming the field otherwise. */
export function summaryText(body: unknown): string {
  const text = typeof body === 'object' && body !== null ? (body as { text?: unknown }).text : undefined;
  if (typeof text !== 'string' || text.trim() === '') {
    throw new GatewayError({
      code: 'invalid_parameter',
      param: 'text',
      message: 'text: required, a non-empty string',
    });
  }
  return text;
}
