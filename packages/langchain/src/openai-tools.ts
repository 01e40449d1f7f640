import type { BindToolsInput } from '@langchain/core/language_models/chat_models';
import { convertToOpenAITool } from '@langchain/core/utils/function_calling';
import type { ChatRequest } from '@switchyard/core';
import type { ChatSwitchyardCallOptions, OpenAITool } from './chat-switchyard-options.js';

/** LangChain tools (`tool()`, `StructuredTool`, zod-typed definitions, OpenAI definitions) in OpenAI's format. */
export function toOpenAITools(tools: readonly BindToolsInput[], strict?: boolean): OpenAITool[] {
  return tools.map(
    (tool) => convertToOpenAITool(tool, strict === undefined ? undefined : { strict }) as OpenAITool,
  );
}

/**
 * OpenAI's `tool_choice` of a LangChain one: `any` means `required`; another bare name names a
 * tool to call.
 */
export function toOpenAIToolChoice(
  choice: ChatSwitchyardCallOptions['tool_choice'],
): ChatRequest['tool_choice'] | undefined {
  if (choice === undefined || choice === null) return undefined;
  if (choice === 'any') return 'required';
  if (choice === 'auto' || choice === 'none' || choice === 'required') return choice;
  if (typeof choice === 'string') return { type: 'function', function: { name: choice } };
  return choice as ChatRequest['tool_choice'];
}
