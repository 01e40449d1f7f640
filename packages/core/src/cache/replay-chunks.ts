import type { ChatChunk, ChatResponse } from '../types/chat.js';

/** Longest text of one replayed content chunk; pieces end at a word's end where one falls. */
const PIECE_LENGTH = 48;

/** Text cut into pieces of about {@link PIECE_LENGTH} characters, each ending after a space when it can. */
function pieces(text: string): string[] {
  const result: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(text.length, start + PIECE_LENGTH);
    if (end < text.length) {
      const space = text.lastIndexOf(' ', end);
      if (space > start) end = space + 1;
    }
    result.push(text.slice(start, end));
    start = end;
  }
  return result;
}

type ChunkChoice = ChatChunk['choices'][number];
type Delta = ChunkChoice['delta'];

/**
 * A cached answer as the chunks of a stream, in the order an upstream sends them: for each choice
 * a role chunk, the content (then refusal, then each tool call: its id and name, then its
 * arguments) in pieces, the chunk with its finish reason; then one usage chunk with `choices: []`
 * (the 2026 shape) when the answer has usage. The caller writes `[DONE]`.
 */
export function replayChunks(response: ChatResponse): ChatChunk[] {
  const chunk = (choices: ChunkChoice[]): ChatChunk => ({
    id: response.id,
    object: 'chat.completion.chunk',
    created: response.created,
    model: response.model,
    ...(response.provider === undefined ? {} : { provider: response.provider }),
    ...(response.system_fingerprint == null ? {} : { system_fingerprint: response.system_fingerprint }),
    choices,
  });
  const delta = (index: number, value: Delta): ChatChunk =>
    chunk([{ index, delta: value, finish_reason: null, logprobs: null }]);
  const chunks: ChatChunk[] = [];
  for (const choice of response.choices) {
    const { index, message } = choice;
    chunks.push(delta(index, { role: 'assistant', content: '' }));
    if (typeof message.content === 'string')
      for (const piece of pieces(message.content)) chunks.push(delta(index, { content: piece }));
    if (typeof message.refusal === 'string')
      for (const piece of pieces(message.refusal)) chunks.push(delta(index, { refusal: piece }));
    (message.tool_calls ?? []).forEach((call, position) => {
      if (call.type !== 'function') return;
      chunks.push(
        delta(index, {
          tool_calls: [
            {
              index: position,
              id: call.id,
              type: 'function',
              function: { name: call.function.name, arguments: '' },
            },
          ],
        }),
      );
      for (const piece of pieces(call.function.arguments))
        chunks.push(delta(index, { tool_calls: [{ index: position, function: { arguments: piece } }] }));
    });
    chunks.push(chunk([{ index, delta: {}, finish_reason: choice.finish_reason, logprobs: null }]));
  }
  if (response.usage !== undefined) chunks.push({ ...chunk([]), usage: response.usage });
  return chunks;
}
