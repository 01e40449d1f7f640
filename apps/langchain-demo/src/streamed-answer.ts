import type { AIMessageChunk } from '@langchain/core/messages';
import type { Router } from '@switchyard/core';
import { ChatSwitchyard, type SwitchyardResponseMetadata } from '@switchyard/langchain';
import { requireMetadata } from './format-trace.js';

/** A streamed answer: its text and the routing metadata of its last chunk. */
export interface StreamedAnswer {
  text: string;
  metadata: SwitchyardResponseMetadata;
}

/**
 * Streams an answer on the fallback route `default`. A failure before the first chunk falls back
 * inside `stream()`; the routing metadata and the cost arrive on the last chunk.
 */
export async function streamAnswer(options: {
  router: Router;
  question: string;
  onToken: (token: string) => void;
}): Promise<StreamedAnswer> {
  const model = new ChatSwitchyard({ router: options.router, model: 'default' });
  let whole: AIMessageChunk | undefined;
  for await (const chunk of await model.stream(options.question)) {
    if (chunk.text !== '') options.onToken(chunk.text);
    whole = whole === undefined ? chunk : whole.concat(chunk);
  }
  return {
    text: whole?.text ?? '',
    metadata: requireMetadata(whole),
  };
}
