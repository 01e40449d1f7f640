import type {
  BaseChatModelCallOptions,
  BaseChatModelParams,
} from '@langchain/core/language_models/chat_models';
import type { ModelProfile } from '@langchain/core/language_models/profile';
import type {
  BudgetConfig,
  Caller,
  ChatRequest,
  Router,
  RouterOptions,
  SwitchyardConfig,
  ValidatorLike,
} from '@switchyard/core';

/** An OpenAI tool definition (`{ type: 'function', function: { name, description, parameters } }`). */
export type OpenAITool = NonNullable<ChatRequest['tools']>[number];

/** OpenAI's `response_format`: `text`, `json_object` or `json_schema`. */
export type ResponseFormat = NonNullable<ChatRequest['response_format']>;

/** Options of one call of a {@link ChatSwitchyard} (`invoke(input, options)`, `bind`, `withConfig`). */
export interface ChatSwitchyardCallOptions extends BaseChatModelCallOptions {
  /** Tools in OpenAI's format; `bindTools()` fills this from LangChain tools. */
  tools?: OpenAITool[];
  /**
   * `auto`, `none`, `required` (LangChain's `any` means `required`), a tool name, or OpenAI's
   * `{ type: 'function', function: { name } }`.
   */
  tool_choice?: BaseChatModelCallOptions['tool_choice'];
  /** Whether the model may call several tools in one answer. */
  parallel_tool_calls?: boolean;
  /**
   * OpenAI's `response_format`. A `json_schema` format without `validate` also validates the answer
   * against that schema, so a cascade escalates when a cheap model's JSON does not fit.
   */
  response_format?: ResponseFormat;
  /** Strict mode for tools bound by `bindTools()` (OpenAI's `strict: true`). */
  strict?: boolean;
  /** Random seed, where the upstream supports it. */
  seed?: number;
  /**
   * Validators for this call (zod and other Standard Schemas, `jsonSchemaValidator(...)`, functions):
   * a rejected answer is a `bad_output` outcome, so the router moves on or a cascade escalates.
   * Added to the model's `validate` and the route's own.
   */
  validate?: ValidatorLike[];
  /**
   * Who is calling (core's `caller`: `key`, `user`, `tags`), for budgets, rate limits and the spend
   * ledger. Replaces the model's `identity`.
   */
  identity?: Caller;
  /** A cost ceiling for this call, USD as a decimal string. Overrides the model's `maxCostUsd`. */
  maxCostUsd?: string;
  /** Budgets for this call, on top of the configured ones and the model's `budgets`. */
  budgets?: BudgetConfig[];
}

/** How a {@link ChatSwitchyard} is built: a router (or a config to build one) and a route name. */
export interface ChatSwitchyardFields extends BaseChatModelParams {
  /** The router that serves every call. Give this or `config`. */
  router?: Router;
  /**
   * A configuration to build a router from (`createRouter({ config, ...routerOptions })`); the
   * model then owns that router, and `close()` closes it. Give this or `router`. Its provider keys
   * are `lc_secrets`: serialisation (LangSmith tracing) never carries them.
   */
  config?: SwitchyardConfig;
  /** More options of the router built from `config` (catalog, hooks, ledger, transport...). */
  routerOptions?: Omit<RouterOptions, 'config'>;
  /**
   * What every request asks for: a route name (`smart`), an alias (`cheap`) or a raw model id.
   * @example 'smart'
   */
  model: string;
  /** Sampling temperature. */
  temperature?: number;
  /** Upper bound of completion tokens (`max_tokens`); also bounds the worst-case cost the router reserves. */
  maxTokens?: number;
  /** Nucleus sampling (`top_p`). */
  topP?: number;
  /** `frequency_penalty`. */
  frequencyPenalty?: number;
  /** `presence_penalty`. */
  presencePenalty?: number;
  /** Stop sequences for every call (a call's `stop` replaces them). */
  stop?: string[];
  /**
   * More request fields, sent as they are: OpenRouter's `provider`, `reasoning`, `transforms`,
   * `models`, `user`...
   * @example { provider: { sort: 'price' } }
   */
  modelKwargs?: Partial<ChatRequest>;
  /** Validators for every call of this model (see {@link ChatSwitchyardCallOptions.validate}). */
  validate?: ValidatorLike[];
  /**
   * Who is calling (core's `caller`: `key`, `user`, `tags`), for budgets, rate limits and the spend
   * ledger. (Named `identity` because LangChain's models already have a `caller`: their retry queue.)
   */
  identity?: Caller;
  /** A cost ceiling per call, USD as a decimal string. */
  maxCostUsd?: string;
  /** Budgets for every call of this model. */
  budgets?: BudgetConfig[];
  /** Total deadline per call in ms (overrides the config's `timeouts.totalMs`). */
  timeoutMs?: number;
  /**
   * What LangChain may assume of the model (`createAgent` uses JSON-schema output when
   * `structuredOutput` is true). Describe the route's weakest target.
   * @default { toolCalling: true, toolChoice: true, structuredOutput: true }
   */
  profile?: ModelProfile;
}
