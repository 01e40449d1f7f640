import type { MockModel } from './mock-model.js';

const TEXT_ONLY = { modality: 'text->text', input_modalities: ['text'], output_modalities: ['text'] };
const TEXT_IMAGE = {
  modality: 'text+image->text',
  input_modalities: ['text', 'image'],
  output_modalities: ['text'],
};
const COMMON_PARAMETERS = [
  'max_tokens',
  'temperature',
  'top_p',
  'stop',
  'seed',
  'frequency_penalty',
  'presence_penalty',
];
const WITH_TOOLS = [...COMMON_PARAMETERS, 'tools', 'tool_choice', 'response_format', 'structured_outputs'];

/** OpenAI's two 4o snapshots share everything but the id and name. */
function gpt4o(id: string, name: string): MockModel {
  return {
    id,
    canonical_slug: id,
    name,
    created: 1732147200,
    description: 'GPT-4o, OpenAI multimodal flagship of 2024.',
    context_length: 128_000,
    architecture: {
      ...TEXT_IMAGE,
      input_modalities: ['text', 'image', 'file'],
      tokenizer: 'GPT',
      instruct_type: null,
    },
    pricing: {
      prompt: '0.0000025',
      completion: '0.00001',
      request: '0',
      image: '0.003613',
      input_cache_read: '0.00000125',
    },
    top_provider: { context_length: 128_000, max_completion_tokens: 16_384, is_moderated: true },
    supported_parameters: [...WITH_TOOLS, 'logprobs', 'top_logprobs', 'logit_bias'],
    knowledge_cutoff: '2023-10-01',
  };
}

/** An embedding model as OpenRouter lists it (`output_modalities: ["embeddings"]`, no completion price). */
function embedder(input: {
  id: string;
  name: string;
  prompt: string;
  dimensions: number;
  tokenizer: string;
  supportsDimensions: boolean;
}): MockModel {
  return {
    id: input.id,
    name: input.name,
    created: 1705953180,
    description: `${input.name}: ${input.dimensions}-dimension text embeddings.`,
    context_length: 8_192,
    architecture: {
      modality: 'text->embeddings',
      input_modalities: ['text'],
      output_modalities: ['embeddings'],
      tokenizer: input.tokenizer,
      instruct_type: null,
    },
    pricing: { prompt: input.prompt, completion: '0', request: '0' },
    top_provider: { context_length: 8_192, max_completion_tokens: null, is_moderated: false },
    // OpenRouter lists no parameters for embedding models (its enum has none of theirs).
    supported_parameters: [],
    embedding: { dimensions: input.dimensions, shortens: input.supportsDimensions },
  };
}

/**
 * The default catalog: twelve chat models with 2026 OpenRouter prices (USD per token, decimal strings).
 * It includes a cheap 8k-context model (`mock/small-8k`), long-context ones (`google/gemini-2.5-flash`,
 * `anthropic/claude-sonnet-4.6`), a free variant (`meta-llama/llama-3.3-70b-instruct:free`), a model
 * without tool support (`mistralai/mistral-7b-instruct`), image-input models, a model with a
 * per-request fee (`perplexity/sonar`), and `openai/gpt-4o` with its dated alias target; and three
 * embedding models (`openai/text-embedding-3-small` and `-large`, which take `dimensions`, and
 * `mistralai/mistral-embed`, which does not).
 */
export const DEFAULT_MOCK_MODELS: readonly MockModel[] = [
  {
    id: 'mock/small-8k',
    name: 'Mock: Small 8K',
    created: 1767225600,
    description: 'A cheap small-context model for tests (8,192 tokens).',
    context_length: 8_192,
    architecture: { ...TEXT_ONLY, tokenizer: 'Other', instruct_type: null },
    pricing: { prompt: '0.00000002', completion: '0.00000004', request: '0' },
    top_provider: { context_length: 8_192, max_completion_tokens: 2_048, is_moderated: false },
    supported_parameters: WITH_TOOLS,
  },
  {
    id: 'meta-llama/llama-3.3-70b-instruct',
    name: 'Meta: Llama 3.3 70B Instruct',
    created: 1733506137,
    hugging_face_id: 'meta-llama/Llama-3.3-70B-Instruct',
    context_length: 131_072,
    architecture: { ...TEXT_ONLY, tokenizer: 'Llama3', instruct_type: 'llama3' },
    pricing: { prompt: '0.0000001', completion: '0.00000032', request: '0' },
    top_provider: { context_length: 131_072, max_completion_tokens: 16_384, is_moderated: false },
    supported_parameters: [...WITH_TOOLS, 'top_k', 'min_p', 'repetition_penalty'],
    knowledge_cutoff: '2023-12-01',
  },
  {
    id: 'meta-llama/llama-3.3-70b-instruct:free',
    canonical_slug: 'meta-llama/llama-3.3-70b-instruct',
    name: 'Meta: Llama 3.3 70B Instruct (free)',
    created: 1733506137,
    hugging_face_id: 'meta-llama/Llama-3.3-70B-Instruct',
    context_length: 65_536,
    architecture: { ...TEXT_ONLY, tokenizer: 'Llama3', instruct_type: 'llama3' },
    pricing: { prompt: '0', completion: '0', request: '0' },
    top_provider: { context_length: 65_536, max_completion_tokens: 8_192, is_moderated: false },
    supported_parameters: [...WITH_TOOLS, 'top_k', 'repetition_penalty'],
    knowledge_cutoff: '2023-12-01',
  },
  {
    id: 'openai/gpt-4o-mini',
    name: 'OpenAI: GPT-4o-mini',
    created: 1721260800,
    context_length: 128_000,
    architecture: {
      ...TEXT_IMAGE,
      input_modalities: ['text', 'image', 'file'],
      tokenizer: 'GPT',
      instruct_type: null,
    },
    pricing: {
      prompt: '0.00000015',
      completion: '0.0000006',
      request: '0',
      image: '0.000217',
      input_cache_read: '0.000000075',
    },
    top_provider: { context_length: 128_000, max_completion_tokens: 16_384, is_moderated: true },
    supported_parameters: [...WITH_TOOLS, 'logprobs', 'top_logprobs', 'logit_bias'],
    knowledge_cutoff: '2023-10-01',
  },
  gpt4o('openai/gpt-4o', 'OpenAI: GPT-4o'),
  gpt4o('openai/gpt-4o-2024-11-20', 'OpenAI: GPT-4o (2024-11-20)'),
  {
    id: 'openai/gpt-5.2',
    name: 'OpenAI: GPT-5.2',
    created: 1765411200,
    context_length: 400_000,
    architecture: {
      ...TEXT_IMAGE,
      input_modalities: ['text', 'image', 'file'],
      tokenizer: 'GPT',
      instruct_type: null,
    },
    pricing: { prompt: '0.00000175', completion: '0.000014', request: '0', input_cache_read: '0.000000175' },
    top_provider: { context_length: 400_000, max_completion_tokens: 128_000, is_moderated: true },
    supported_parameters: [...WITH_TOOLS, 'reasoning', 'include_reasoning', 'max_completion_tokens'],
    knowledge_cutoff: '2025-08-31',
  },
  {
    id: 'anthropic/claude-sonnet-4.6',
    name: 'Anthropic: Claude Sonnet 4.6',
    created: 1771286400,
    context_length: 1_000_000,
    architecture: {
      ...TEXT_IMAGE,
      input_modalities: ['text', 'image', 'file'],
      tokenizer: 'Claude',
      instruct_type: null,
    },
    pricing: {
      prompt: '0.000003',
      completion: '0.000015',
      request: '0',
      image: '0.0048',
      input_cache_read: '0.0000003',
      input_cache_write: '0.00000375',
    },
    top_provider: { context_length: 1_000_000, max_completion_tokens: 64_000, is_moderated: true },
    supported_parameters: [...WITH_TOOLS, 'reasoning', 'include_reasoning', 'top_k'],
    knowledge_cutoff: '2025-08-01',
  },
  {
    id: 'google/gemini-2.5-flash',
    name: 'Google: Gemini 2.5 Flash',
    created: 1750172488,
    context_length: 1_048_576,
    architecture: {
      modality: 'text+image+file+audio+video->text',
      input_modalities: ['text', 'image', 'file', 'audio', 'video'],
      output_modalities: ['text'],
      tokenizer: 'Gemini',
      instruct_type: null,
    },
    pricing: {
      prompt: '0.0000003',
      completion: '0.0000025',
      request: '0',
      image: '0.001238',
      internal_reasoning: '0.0000025',
      input_cache_read: '0.00000003',
    },
    top_provider: { context_length: 1_048_576, max_completion_tokens: 65_535, is_moderated: false },
    supported_parameters: [...WITH_TOOLS, 'reasoning', 'include_reasoning'],
    knowledge_cutoff: '2025-01-31',
  },
  {
    id: 'deepseek/deepseek-chat',
    name: 'DeepSeek: DeepSeek V3',
    created: 1735241320,
    hugging_face_id: 'deepseek-ai/DeepSeek-V3',
    context_length: 163_840,
    architecture: { ...TEXT_ONLY, tokenizer: 'DeepSeek', instruct_type: null },
    pricing: { prompt: '0.0000003', completion: '0.0000012', request: '0', input_cache_read: '0.00000003' },
    top_provider: { context_length: 163_840, max_completion_tokens: 163_840, is_moderated: false },
    supported_parameters: [...WITH_TOOLS, 'top_k', 'repetition_penalty'],
  },
  {
    id: 'mistralai/mistral-7b-instruct',
    name: 'Mistral: Mistral 7B Instruct',
    created: 1716768000,
    hugging_face_id: 'mistralai/Mistral-7B-Instruct-v0.3',
    description: 'A small open model without tool calling.',
    context_length: 32_768,
    architecture: { ...TEXT_ONLY, tokenizer: 'Mistral', instruct_type: 'mistral' },
    pricing: { prompt: '0.000000028', completion: '0.000000054', request: '0' },
    top_provider: { context_length: 32_768, max_completion_tokens: 16_384, is_moderated: false },
    supported_parameters: [...COMMON_PARAMETERS, 'top_k', 'repetition_penalty'],
  },
  {
    id: 'perplexity/sonar',
    name: 'Perplexity: Sonar',
    created: 1738013808,
    description: 'Web-grounded answers; charges a fee per request on top of tokens.',
    context_length: 127_072,
    architecture: { ...TEXT_IMAGE, tokenizer: 'Other', instruct_type: null },
    pricing: {
      prompt: '0.000001',
      completion: '0.000001',
      request: '0.005',
      image: '0',
      web_search: '0.005',
    },
    top_provider: { context_length: 127_072, max_completion_tokens: null, is_moderated: false },
    supported_parameters: [
      'max_tokens',
      'temperature',
      'top_p',
      'top_k',
      'frequency_penalty',
      'presence_penalty',
    ],
  },
  embedder({
    id: 'openai/text-embedding-3-small',
    name: 'OpenAI: Text Embedding 3 Small',
    prompt: '0.00000002',
    dimensions: 1536,
    tokenizer: 'GPT',
    supportsDimensions: true,
  }),
  embedder({
    id: 'openai/text-embedding-3-large',
    name: 'OpenAI: Text Embedding 3 Large',
    prompt: '0.00000013',
    dimensions: 3072,
    tokenizer: 'GPT',
    supportsDimensions: true,
  }),
  embedder({
    id: 'mistralai/mistral-embed',
    name: 'Mistral: Mistral Embed',
    prompt: '0.0000001',
    dimensions: 1024,
    tokenizer: 'Mistral',
    supportsDimensions: false,
  }),
];

/**
 * Default aliases: requested id → id that serves and is named in the response's `model`.
 * `openai/gpt-4o` answers as its dated snapshot, as OpenRouter does; the `-latest` id exists
 * only as an alias.
 */
export const DEFAULT_MOCK_ALIASES: Readonly<Record<string, string>> = {
  'openai/gpt-4o': 'openai/gpt-4o-2024-11-20',
  'anthropic/claude-sonnet-latest': 'anthropic/claude-sonnet-4.6',
};
