import type { CallbackManagerForLLMRun } from '@langchain/core/callbacks/manager';
import type {
  BaseLanguageModelInput,
  StructuredOutputMethodOptions,
} from '@langchain/core/language_models/base';
import {
  BaseChatModel,
  type BindToolsInput,
  type LangSmithParams,
} from '@langchain/core/language_models/chat_models';
import type { ModelProfile } from '@langchain/core/language_models/profile';
import { assembleStructuredOutputPipeline } from '@langchain/core/language_models/structured_output';
import type { AIMessageChunk, BaseMessage } from '@langchain/core/messages';
import type { ChatGenerationChunk, ChatResult } from '@langchain/core/outputs';
import type { Runnable } from '@langchain/core/runnables';
import type { InteropZodType } from '@langchain/core/utils/types';
import {
  type BudgetConfig,
  type Caller,
  type CallOptions,
  type ChatRequest,
  createRouter,
  type Router,
  type SwitchyardConfig,
  type ValidatorLike,
} from '@switchyard/core';
import type { ChatSwitchyardCallOptions, ChatSwitchyardFields } from './chat-switchyard-options.js';
import { configSecrets } from './config-secrets.js';
import { toOpenAIToolChoice, toOpenAITools } from './openai-tools.js';
import { markRetryable, switchyardFailedAttemptHandler } from './retry-policy.js';
import {
  planStructuredOutput,
  responseFormatValidator,
  type StructuredOutputSchema,
} from './structured-output.js';
import { toAIMessage } from './to-ai-message.js';
import { closingChunk, toGenerationChunk } from './to-generation-chunk.js';
import { toOpenAIMessages } from './to-openai-messages.js';
import type { OpenAIUsage } from './usage-metadata.js';

/** A schema `withStructuredOutput` accepts: zod (v3 or v4), another Standard Schema, or JSON Schema. */
export type ChatSwitchyardSchema<RunOutput> = InteropZodType<RunOutput> | StructuredOutputSchema;

/** The request fields of a call, without the messages. */
type RequestParams = Omit<ChatRequest, 'messages'>;

const DEFAULT_PROFILE: ModelProfile = { toolCalling: true, toolChoice: true, structuredOutput: true };

/** Fields serialised by `toJSON()` (LangSmith tracing); the router, validators and hooks are not data. */
const SERIALIZABLE_KEYS = [
  'model',
  'config',
  'temperature',
  'maxTokens',
  'topP',
  'frequencyPenalty',
  'presencePenalty',
  'stop',
  'modelKwargs',
  'identity',
  'maxCostUsd',
  'budgets',
  'timeoutMs',
];

/** Drops undefined values, so that they do not reach the upstream as `null`s or empty fields. */
function defined<T extends Record<string, unknown>>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/**
 * A LangChain chat model that routes every call through Switchyard: fallback, cascades, retries,
 * validation, budgets and exact pricing happen inside `invoke`, `stream`, `batch`, `bindTools`
 * and `withStructuredOutput`. Routing metadata and cost come back in `response_metadata`.
 *
 * @example
 * const model = new ChatSwitchyard({ router, model: 'smart' });
 * const answer = await model.invoke('Hello!');
 * answer.response_metadata.model_name; // the model that served
 * answer.response_metadata.cost_usd;   // what the whole request cost, fallbacks included
 */
export class ChatSwitchyard extends BaseChatModel<ChatSwitchyardCallOptions, AIMessageChunk> {
  static override lc_name(): string {
    return 'ChatSwitchyard';
  }

  override lc_serializable = true;

  /** The router that serves every call. */
  readonly router: Router;
  /** The route, alias or model id every request asks for. */
  model: string;
  /** The configuration the router was built from, when the model built it. */
  config?: SwitchyardConfig;
  /** Sampling temperature (see {@link ChatSwitchyardFields}). */
  temperature?: number;
  /** `max_tokens` of every call. */
  maxTokens?: number;
  /** `top_p` of every call. */
  topP?: number;
  /** `frequency_penalty` of every call. */
  frequencyPenalty?: number;
  /** `presence_penalty` of every call. */
  presencePenalty?: number;
  /** Stop sequences of every call (a call's `stop` replaces them). */
  stop?: string[];
  /** More request fields, sent as they are. */
  modelKwargs?: Partial<ChatRequest>;
  /** Validators of every call, before the call's own. */
  validate: ValidatorLike[];
  /** Who is calling (core's `caller`), unless a call says otherwise. */
  identity?: Caller;
  /** Cost ceiling per call in USD, unless a call says otherwise. */
  maxCostUsd?: string;
  /** Budgets of every call, before the call's own. */
  budgets: BudgetConfig[];
  /** Total deadline per call in ms. */
  timeoutMs?: number;
  private readonly ownsRouter: boolean;
  private readonly modelProfile: ModelProfile;

  constructor(fields: ChatSwitchyardFields) {
    super({
      ...fields,
      // The router already retries and falls back inside one call; LangChain's queue would
      // repeat a whole routed request, so it retries only when asked, and only transient failures.
      maxRetries: fields.maxRetries ?? 0,
      onFailedAttempt: fields.onFailedAttempt ?? switchyardFailedAttemptHandler,
    });
    if (fields.router !== undefined) {
      this.router = fields.router;
      this.ownsRouter = false;
    } else if (fields.config !== undefined) {
      this.router = createRouter({ ...fields.routerOptions, config: fields.config });
      this.config = fields.config;
      this.ownsRouter = true;
      if (configSecrets(fields.config) === undefined) delete this.lc_kwargs.config;
    } else {
      throw new TypeError('ChatSwitchyard needs a `router` or a `config`');
    }
    if (typeof fields.model !== 'string' || fields.model === '') {
      throw new TypeError('ChatSwitchyard needs a `model`: a route, an alias or a model id');
    }
    this.model = fields.model;
    this.temperature = fields.temperature;
    this.maxTokens = fields.maxTokens;
    this.topP = fields.topP;
    this.frequencyPenalty = fields.frequencyPenalty;
    this.presencePenalty = fields.presencePenalty;
    this.stop = fields.stop;
    this.modelKwargs = fields.modelKwargs;
    this.validate = fields.validate ?? [];
    this.identity = fields.identity;
    this.maxCostUsd = fields.maxCostUsd;
    this.budgets = fields.budgets ?? [];
    this.timeoutMs = fields.timeoutMs;
    this.modelProfile = fields.profile ?? DEFAULT_PROFILE;
  }

  override get lc_secrets(): { [key: string]: string } | undefined {
    return this.config === undefined ? {} : (configSecrets(this.config) ?? {});
  }

  override get lc_serializable_keys(): string[] {
    return SERIALIZABLE_KEYS;
  }

  override get callKeys(): string[] {
    return [
      ...super.callKeys,
      'tools',
      'tool_choice',
      'parallel_tool_calls',
      'response_format',
      'strict',
      'seed',
      'validate',
      'identity',
      'maxCostUsd',
      'budgets',
    ];
  }

  override get profile(): ModelProfile {
    return this.modelProfile;
  }

  _llmType(): string {
    return 'switchyard';
  }

  override getLsParams(options: this['ParsedCallOptions']): LangSmithParams {
    return defined({
      ls_provider: 'switchyard',
      ls_model_name: this.model,
      ls_model_type: 'chat' as const,
      ls_temperature: this.temperature,
      ls_max_tokens: this.maxTokens,
      ls_stop: options.stop ?? this.stop,
    }) as LangSmithParams;
  }

  /** The request fields of a call (everything but the messages), as sent to the router. */
  override invocationParams(options?: this['ParsedCallOptions']): RequestParams {
    const tools = options?.tools !== undefined && options.tools.length > 0 ? options.tools : undefined;
    const stop = options?.stop ?? this.stop;
    return {
      ...this.modelKwargs,
      model: this.model,
      ...defined({
        temperature: this.temperature,
        max_tokens: this.maxTokens,
        top_p: this.topP,
        frequency_penalty: this.frequencyPenalty,
        presence_penalty: this.presencePenalty,
        seed: options?.seed,
        stop: stop !== undefined && stop.length > 0 ? stop : undefined,
        tools,
        tool_choice: tools === undefined ? undefined : toOpenAIToolChoice(options?.tool_choice),
        parallel_tool_calls: tools === undefined ? undefined : options?.parallel_tool_calls,
        response_format: options?.response_format,
      }),
    };
  }

  override _identifyingParams(): Record<string, unknown> {
    return { model_name: this.model, ...this.invocationParams() };
  }

  protected override _getCallOptionsForTracing(
    options: this['ParsedCallOptions'],
    _invocationParams: ReturnType<this['invocationParams']>,
  ): this['ParsedCallOptions'] {
    // Validators are schemas and functions, not data a tracer can store.
    return { ...options, validate: undefined };
  }

  /** The router's options of a call: abort signal, validators, caller, ceiling, budgets, deadline. */
  private callOptionsFor(options: this['ParsedCallOptions']): CallOptions {
    // A JSON-schema answer (e.g. createAgent's structured response) is checked against its schema,
    // so a cascade escalates instead of handing LangChain JSON that does not fit.
    const implied = responseFormatValidator(options.response_format);
    const validate = options.validate ?? (implied === undefined ? [] : [implied]);
    const budgets = [...this.budgets, ...(options.budgets ?? [])];
    const identity = options.identity ?? this.identity;
    const maxCostUsd = options.maxCostUsd ?? this.maxCostUsd;
    // LangChain turns a call's `timeout` into its `signal`; `timeoutMs` is the router's own deadline.
    const timeoutMs = this.timeoutMs;
    return {
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      validate: [...this.validate, ...validate],
      ...(identity === undefined ? {} : { caller: identity }),
      ...(maxCostUsd === undefined ? {} : { maxCostUsd }),
      ...(budgets.length === 0 ? {} : { budgets }),
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
    };
  }

  private chatRequest(messages: BaseMessage[], options: this['ParsedCallOptions']): ChatRequest {
    return { ...this.invocationParams(options), messages: toOpenAIMessages(messages) };
  }

  async _generate(
    messages: BaseMessage[],
    options: this['ParsedCallOptions'],
    _runManager?: CallbackManagerForLLMRun,
  ): Promise<ChatResult> {
    const request = this.chatRequest(messages, options);
    const callOptions = this.callOptionsFor(options);
    const { response, trace } = await this.caller.callWithOptions({ signal: options.signal }, () =>
      this.router.chat(request, callOptions).catch((error: unknown) => {
        throw markRetryable(error);
      }),
    );
    const message = toAIMessage(response, trace);
    const usage = message.usage_metadata;
    return {
      generations: [
        {
          text: message.text,
          message,
          generationInfo: defined({ finish_reason: response.choices[0]?.finish_reason }),
        },
      ],
      llmOutput:
        usage === undefined
          ? {}
          : {
              tokenUsage: {
                promptTokens: usage.input_tokens,
                completionTokens: usage.output_tokens,
                totalTokens: usage.total_tokens,
              },
            },
    };
  }

  override async *_streamResponseChunks(
    messages: BaseMessage[],
    options: this['ParsedCallOptions'],
    runManager?: CallbackManagerForLLMRun,
  ): AsyncGenerator<ChatGenerationChunk> {
    const request = this.chatRequest(messages, options);
    const callOptions = this.callOptionsFor(options);
    // Resolves once a target sent its first content: until then the router may fall back.
    const stream = await this.caller.callWithOptions({ signal: options.signal }, () =>
      this.router.stream(request, callOptions).catch((error: unknown) => {
        throw markRetryable(error);
      }),
    );
    let usage: OpenAIUsage | undefined;
    let id: string | undefined;
    const emit = async (chunk: ChatGenerationChunk): Promise<void> => {
      await runManager?.handleLLMNewToken(
        chunk.text,
        { prompt: 0, completion: 0 },
        undefined,
        undefined,
        undefined,
        {
          chunk,
        },
      );
    };
    try {
      for await (const chunk of stream) {
        id ??= chunk.id;
        if (chunk.usage) usage = chunk.usage;
        if (chunk.choices.length === 0) continue;
        const generation = toGenerationChunk(chunk);
        yield generation;
        await emit(generation);
      }
    } catch (error) {
      // After the first chunk there is no fallback: a `stream_interrupted` (or `aborted`) RoutingError.
      throw markRetryable(error);
    }
    // The iteration is over, so the trace is complete: usage, cost and routing on the last chunk.
    const closing = closingChunk({ id, usage, trace: stream.trace });
    yield closing;
    await emit(closing);
  }

  override bindTools(
    tools: BindToolsInput[],
    kwargs?: Partial<ChatSwitchyardCallOptions>,
  ): Runnable<BaseLanguageModelInput, AIMessageChunk, ChatSwitchyardCallOptions> {
    return this.withConfig({ ...kwargs, tools: toOpenAITools(tools, kwargs?.strict) });
  }

  override withStructuredOutput<RunOutput extends Record<string, unknown> = Record<string, unknown>>(
    outputSchema: ChatSwitchyardSchema<RunOutput>,
    config?: StructuredOutputMethodOptions<false>,
  ): Runnable<BaseLanguageModelInput, RunOutput>;
  override withStructuredOutput<RunOutput extends Record<string, unknown> = Record<string, unknown>>(
    outputSchema: ChatSwitchyardSchema<RunOutput>,
    config?: StructuredOutputMethodOptions<true>,
  ): Runnable<BaseLanguageModelInput, { raw: BaseMessage; parsed: RunOutput }>;
  /**
   * A runnable that answers with a structure: by `response_format` json_schema (the default,
   * `method: 'jsonSchema'`), a forced tool call (`functionCalling`) or `json_object` (`jsonMode`).
   * The schema is also a validator of the call: an answer that does not fit is a `bad_output`,
   * so a cascade escalates to its next target before LangChain parses anything.
   */
  override withStructuredOutput<RunOutput extends Record<string, unknown> = Record<string, unknown>>(
    outputSchema: ChatSwitchyardSchema<RunOutput>,
    config?: StructuredOutputMethodOptions<boolean>,
  ):
    | Runnable<BaseLanguageModelInput, RunOutput>
    | Runnable<BaseLanguageModelInput, { raw: BaseMessage; parsed: RunOutput }> {
    const plan = planStructuredOutput(outputSchema, config);
    const includeRaw = config?.includeRaw === true;
    return assembleStructuredOutputPipeline(
      this.withConfig(plan.callOptions),
      plan.parser,
      includeRaw,
      includeRaw ? 'StructuredOutputRunnable' : 'StructuredOutput',
    ) as Runnable<BaseLanguageModelInput, RunOutput>;
  }

  /** Closes the router's connections, when the model built the router from a `config`. */
  async close(): Promise<void> {
    if (this.ownsRouter) await this.router.close();
  }
}
