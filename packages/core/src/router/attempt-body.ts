import type { ChatRequest } from '../types/chat.js';
import type { EmbeddingRequest } from '../types/embeddings.js';

const OMITTED_KEYS = new Set(['model', 'models', 'stream', 'stream_options']);
const OMITTED_WITH_PROVIDER = new Set([...OMITTED_KEYS, 'provider']);

/**
 * The upstream bodies of one request: the caller's request with each target's model id. The rest
 * of the body is serialized once, on first use, and shared by every attempt.
 */
export class AttemptBody {
  private rest: string | undefined;
  /** The rest without the request's `provider`, for attempts that send a merged one. */
  private restWithoutProvider: string | undefined;

  constructor(
    private readonly request: ChatRequest | EmbeddingRequest,
    private readonly stream: boolean,
  ) {}

  /**
   * Serializes the request now, so that a body JSON cannot hold (nested past the stack, a cycle, a
   * BigInt) fails before any attempt, as the caller's error: never a network failure that would be
   * retried and counted against a breaker.
   * @throws whatever `JSON.stringify` throws
   */
  prepare(): void {
    this.rest ??= this.serializeRest();
  }

  /** The JSON body for an attempt on `model`. */
  for(model: string): string {
    this.rest ??= this.serializeRest();
    const rest = this.rest;
    return `{"model":${JSON.stringify(model)}${rest.length > 2 ? `,${rest.slice(1)}` : '}'}`;
  }

  /** The JSON body for an attempt on `model` whose `provider` object is `providerJson`. */
  withProvider(model: string, providerJson: string): string {
    this.restWithoutProvider ??= this.serializeRest(OMITTED_WITH_PROVIDER);
    const rest = this.restWithoutProvider;
    const provider = `"provider":${providerJson}`;
    return `{"model":${JSON.stringify(model)},${provider}${rest.length > 2 ? `,${rest.slice(1)}` : '}'}`;
  }

  private serializeRest(omitted: ReadonlySet<string> = OMITTED_KEYS): string {
    const rest: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(this.request)) {
      if (!omitted.has(key) && value !== undefined) rest[key] = value;
    }
    if (this.stream) {
      rest.stream = true;
      const options = (this.request as ChatRequest).stream_options;
      rest.stream_options = { ...(options ?? {}), include_usage: true };
    }
    return JSON.stringify(rest);
  }
}
