import { Embeddings, type EmbeddingsParams } from '@langchain/core/embeddings';
import {
  type BudgetConfig,
  type Caller,
  type CallOptions,
  decodeEmbedding,
  type EmbeddingRequest,
  type Router,
  type RoutingTrace,
} from '@switchyard/core';
import { markRetryable, switchyardFailedAttemptHandler } from './retry-policy.js';

/** How a {@link SwitchyardEmbeddings} is built: a router and the route (or alias) that embeds. */
export interface SwitchyardEmbeddingsFields extends EmbeddingsParams {
  /** The router that serves every call (the app's one: it holds the pools, breakers and budgets). */
  router: Router;
  /**
   * What every request asks for: a route (`embed`), an alias or a raw model id.
   * @example 'embed'
   */
  model: string;
  /**
   * Texts per `router.embed` call; `embedDocuments` splits longer lists and runs the batches through
   * LangChain's queue (`maxConcurrency`).
   * @default 512
   */
  batchSize?: number;
  /** Length of the vectors, for models that can shorten them (OpenAI's `text-embedding-3-*`). */
  dimensions?: number;
  /**
   * Who is calling (core's `caller`: `key`, `user`, `tags`), for budgets, rate limits and the spend
   * ledger. (Named `identity` because LangChain's embeddings already have a `caller`: their queue.)
   */
  identity?: Caller;
  /** A cost ceiling per call, USD as a decimal string. */
  maxCostUsd?: string;
  /** Budgets for every call. */
  budgets?: BudgetConfig[];
  /** Total deadline per call in ms (overrides the config's `timeouts.totalMs`). */
  timeoutMs?: number;
  /** Told the routing trace of every call: served model, fallback, attempts, cost. */
  onTrace?: (trace: RoutingTrace) => void;
}

const DEFAULT_BATCH_SIZE = 512;

/**
 * LangChain embeddings that route through Switchyard: each batch of texts is one `router.embed`
 * call, with the route's fallback, retries, breakers, budgets and rate limits, priced by its input
 * tokens and written to the ledger. Use it wherever LangChain takes `Embeddings` (vector stores,
 * retrievers).
 * @example
 * const embeddings = new SwitchyardEmbeddings({ router, model: 'embed' });
 * const store = await MemoryVectorStore.fromTexts(texts, metadata, embeddings);
 */
export class SwitchyardEmbeddings extends Embeddings {
  readonly router: Router;
  readonly model: string;
  readonly batchSize: number;
  readonly dimensions: number | undefined;
  readonly identity: Caller | undefined;
  readonly maxCostUsd: string | undefined;
  readonly budgets: BudgetConfig[];
  readonly timeoutMs: number | undefined;
  private readonly onTrace: ((trace: RoutingTrace) => void) | undefined;

  constructor(fields: SwitchyardEmbeddingsFields) {
    super({
      ...fields,
      // The router already retries and falls back inside one call; LangChain's queue would repeat
      // a whole routed request, so it retries only when asked, and only transient failures.
      maxRetries: fields.maxRetries ?? 0,
      onFailedAttempt: fields.onFailedAttempt ?? switchyardFailedAttemptHandler,
    });
    if (fields.router === undefined) throw new TypeError('SwitchyardEmbeddings needs a `router`');
    if (typeof fields.model !== 'string' || fields.model === '') {
      throw new TypeError('SwitchyardEmbeddings needs a `model`: a route, an alias or a model id');
    }
    const batchSize = fields.batchSize ?? DEFAULT_BATCH_SIZE;
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new RangeError(`SwitchyardEmbeddings: batchSize must be a positive integer, got ${batchSize}`);
    }
    this.router = fields.router;
    this.model = fields.model;
    this.batchSize = batchSize;
    this.dimensions = fields.dimensions;
    this.identity = fields.identity;
    this.maxCostUsd = fields.maxCostUsd;
    this.budgets = fields.budgets ?? [];
    this.timeoutMs = fields.timeoutMs;
    this.onTrace = fields.onTrace;
  }

  /** One vector per text, in order; the texts go in batches of `batchSize`. */
  async embedDocuments(documents: string[]): Promise<number[][]> {
    const batches: string[][] = [];
    for (let start = 0; start < documents.length; start += this.batchSize) {
      batches.push(documents.slice(start, start + this.batchSize));
    }
    const vectors = await Promise.all(batches.map((batch) => this.caller.call(() => this.embedBatch(batch))));
    return vectors.flat();
  }

  /** The vector of one text (a search query). */
  async embedQuery(document: string): Promise<number[]> {
    const [vector] = await this.caller.call(() => this.embedBatch([document]));
    return vector as number[];
  }

  /** One `router.embed` call: floats asked for, base64 decoded should an upstream send it anyway. */
  private async embedBatch(input: string[]): Promise<number[][]> {
    const request: EmbeddingRequest = {
      model: this.model,
      input,
      encoding_format: 'float',
      ...(this.dimensions === undefined ? {} : { dimensions: this.dimensions }),
    };
    const options: CallOptions = {
      ...(this.identity === undefined ? {} : { caller: this.identity }),
      ...(this.maxCostUsd === undefined ? {} : { maxCostUsd: this.maxCostUsd }),
      ...(this.budgets.length === 0 ? {} : { budgets: this.budgets }),
      ...(this.timeoutMs === undefined ? {} : { timeoutMs: this.timeoutMs }),
    };
    try {
      const { response, trace } = await this.router.embed(request, options);
      this.onTrace?.(trace);
      return [...response.data]
        .sort((a, b) => a.index - b.index)
        .map((item) => decodeEmbedding(item.embedding));
    } catch (error) {
      throw markRetryable(error);
    }
  }
}
