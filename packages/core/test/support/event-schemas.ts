import type { SpecOracle } from '@switchyard/spec-oracle';

/**
 * The schema of each event type the doors emit, from the discriminator mappings of OpenRouter's
 * `StreamEvents` (Responses) and `MessagesStreamEvents` (Anthropic): validating against the one
 * schema gives an error that names the field at fault, where the union's `oneOf` lists them all.
 */
const RESPONSES: Readonly<Record<string, string>> = {
  error: 'ErrorEvent',
  'response.created': 'OpenResponsesCreatedEvent',
  'response.in_progress': 'OpenResponsesInProgressEvent',
  'response.completed': 'StreamEventsResponseCompleted',
  'response.incomplete': 'StreamEventsResponseIncomplete',
  'response.failed': 'StreamEventsResponseFailed',
  'response.output_item.added': 'StreamEventsResponseOutputItemAdded',
  'response.output_item.done': 'StreamEventsResponseOutputItemDone',
  'response.content_part.added': 'ContentPartAddedEvent',
  'response.content_part.done': 'ContentPartDoneEvent',
  'response.output_text.delta': 'TextDeltaEvent',
  'response.output_text.done': 'TextDoneEvent',
  'response.refusal.delta': 'RefusalDeltaEvent',
  'response.refusal.done': 'RefusalDoneEvent',
  'response.function_call_arguments.delta': 'FunctionCallArgsDeltaEvent',
  'response.function_call_arguments.done': 'FunctionCallArgsDoneEvent',
};

const MESSAGES: Readonly<Record<string, string>> = {
  message_start: 'MessagesStartEvent',
  message_delta: 'MessagesDeltaEvent',
  message_stop: 'MessagesStopEvent',
  content_block_start: 'MessagesContentBlockStartEvent',
  content_block_delta: 'MessagesContentBlockDeltaEvent',
  content_block_stop: 'MessagesContentBlockStopEvent',
  ping: 'MessagesPingEvent',
  error: 'MessagesErrorEvent',
};

/** Asserts that a Responses (`responses`) or Anthropic (`messages`) event matches OpenRouter's schema of it. */
export function assertValidEvent(oracle: SpecOracle, dialect: 'responses' | 'messages', data: unknown): void {
  const type = (data as { type?: unknown } | null)?.type;
  const schema = (dialect === 'responses' ? RESPONSES : MESSAGES)[String(type)];
  if (schema === undefined) throw new Error(`no schema known for a ${dialect} event of type ${String(type)}`);
  oracle.assertValid(schema, data);
  oracle.assertValid(dialect === 'responses' ? 'StreamEvents' : 'MessagesStreamEvents', data);
}
