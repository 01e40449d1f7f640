/**
 * The protocol a request came in by, as the gateway's doors name it: OpenAI chat completions, the
 * Responses API, Anthropic's Messages API, or embeddings. The router speaks chat inside whichever
 * door was used; the door is kept on the trace and every ledger entry, so spend can be split by
 * the API the caller used.
 */
export type Door = 'chat' | 'responses' | 'messages' | 'embeddings';
