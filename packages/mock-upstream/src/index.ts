export { DEFAULT_MOCK_ALIASES, DEFAULT_MOCK_MODELS } from './default-mock-models.js';
export type { EmbeddingInput } from './embedding-vector.js';
export { embeddingVector, toBase64Embedding } from './embedding-vector.js';
export type { LatencyProfile } from './latency-profile.js';
export type { LoggedRequest, RequestOutcome } from './logged-request.js';
export type {
  MockChatMessage,
  MockChatRequest,
  MockContentPart,
  MockTool,
  MockToolCall,
} from './mock-chat-request.js';
export type { MockEmbeddingRequest } from './mock-embedding-request.js';
export type {
  MockModel,
  MockModelArchitecture,
  MockModelPricing,
  MockModelTopProvider,
} from './mock-model.js';
export type { MockUpstream, WaitOptions } from './mock-upstream.js';
export type { MockUpstreamOptions } from './mock-upstream-options.js';
export type { ModelQuirks } from './model-quirks.js';
export type { RandomFaultBehaviour, RandomFaultKind, RandomFaults } from './random-faults.js';
export type {
  EmptyChoicesStep,
  Error200Step,
  ErrorStatus,
  ErrorStep,
  FinishErrorStep,
  MidStreamErrorStep,
  NoFinishStep,
  ResetStep,
  ScriptFinishReason,
  ScriptStep,
  ScriptStepKind,
  StallStep,
  StepTiming,
  SuccessStep,
} from './script-step.js';
export { startMockUpstream } from './start-mock-upstream.js';
