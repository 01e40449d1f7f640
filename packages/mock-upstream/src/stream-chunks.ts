import type { ResponseIdentity, Usage } from './chat-result.js';
import { splitIntoPieces } from './default-reply.js';
import type { ReplyPlan } from './reply-plan.js';

/** Characters of tool-call arguments per chunk. */
const ARGUMENT_PIECE_LENGTH = 16;

/** Style of the usage chunk: 2026 sends `choices: []`, 2025 one choice with an empty delta. */
export type UsageChunkStyle = '2026' | '2025';

/** Options of {@link ChunkSerializer.error}. */
export interface ErrorChunkInput {
  /** `error.code`, a number or a string. */
  code: number | string;
  /** `error.message`. */
  message: string;
  /** `choices: []` instead of one choice with `finish_reason: "error"`. */
  emptyChoices?: boolean;
}

/** Options of {@link ChunkSerializer.usage}. */
export interface UsageChunkInput {
  /** Usage to report. */
  usage: Usage;
  /** 2026 (`choices: []`) or 2025 (one empty-delta choice, `finish_reason: null`). */
  style: UsageChunkStyle;
}

/**
 * Serialises the `data:` payloads of one generation. Every chunk carries `id`, `provider`,
 * `model`, `object: "chat.completion.chunk"`, `created` and `choices`; that shared prefix is
 * serialised once per response, which matters at benchmark rates.
 */
export interface ChunkSerializer {
  /**
   * The content chunks of a reply, in order: text pieces (one per word), refusal pieces, then
   * each tool call (id, type and name first with empty arguments, then the arguments in pieces),
   * as OpenAI streams them. The first delta carries `role: "assistant"`.
   */
  content(plan: Pick<ReplyPlan, 'content' | 'refusal' | 'toolCalls'>): string[];
  /** The chunk that carries the finish reason, with an empty delta. */
  finish(finishReason: string): string;
  /** The last chunk before `[DONE]`, carrying usage and cost. */
  usage(input: UsageChunkInput): string;
  /** A chunk with a top-level `error`, as OpenRouter sends when generation fails after streaming began. */
  error(input: ErrorChunkInput): string;
}

/** One choice holding `delta`, serialised. */
function choice(delta: Record<string, unknown>, finishReason: string | null = null): string {
  const reason = JSON.stringify(finishReason);
  return `{"index":0,"delta":${JSON.stringify(delta)},"finish_reason":${reason},"native_finish_reason":${reason},"logprobs":null}`;
}

/** Creates the serializer for one response. */
export function createChunkSerializer(identity: ResponseIdentity): ChunkSerializer {
  const prefix =
    `{"id":${JSON.stringify(identity.id)},"provider":${JSON.stringify(identity.provider)},` +
    `"model":${JSON.stringify(identity.model)},"object":"chat.completion.chunk","created":${identity.created},"choices":`;
  return {
    content(plan) {
      const deltas: Array<Record<string, unknown>> = [];
      for (const piece of splitIntoPieces(plan.content ?? '')) deltas.push({ content: piece });
      for (const piece of splitIntoPieces(plan.refusal ?? '')) deltas.push({ content: null, refusal: piece });
      plan.toolCalls.forEach((call, index) => {
        deltas.push({
          content: null,
          tool_calls: [
            { index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } },
          ],
        });
        for (let start = 0; start < call.arguments.length; start += ARGUMENT_PIECE_LENGTH) {
          const piece = call.arguments.slice(start, start + ARGUMENT_PIECE_LENGTH);
          deltas.push({ tool_calls: [{ index, function: { arguments: piece } }] });
        }
      });
      return deltas.map(
        (delta, index) => `${prefix}[${choice(index === 0 ? { role: 'assistant', ...delta } : delta)}]}`,
      );
    },
    finish(finishReason) {
      return `${prefix}[${choice({ role: 'assistant', content: '' }, finishReason)}]}`;
    },
    usage(input) {
      const choices = input.style === '2025' ? `[${choice({ role: 'assistant', content: '' })}]` : '[]';
      return `${prefix}${choices},"usage":${JSON.stringify(input.usage)}}`;
    },
    error(input) {
      const choices = input.emptyChoices ? '[]' : `[${choice({ content: '' }, 'error')}]`;
      return `${prefix}${choices},"error":${JSON.stringify({ code: input.code, message: input.message })}}`;
    },
  };
}
