import type { AIMessage, BaseMessage, ChatMessage, ToolMessage } from '@langchain/core/messages';
import type { ChatRequest } from '@switchyard/core';

/** One message of an OpenAI chat request. */
export type OpenAIMessage = ChatRequest['messages'][number];

type UserContent = Extract<OpenAIMessage, { role: 'user' }>['content'];
type UserPart = Exclude<UserContent, string>[number];
type AssistantToolCall = NonNullable<Extract<OpenAIMessage, { role: 'assistant' }>['tool_calls']>[number];

const ROLES_OF_CHAT_MESSAGES = new Set(['system', 'developer', 'user', 'assistant']);

/**
 * Converts LangChain messages to OpenAI's chat format: system, human (text and image parts), AI
 * (text and tool calls, valid or not), tool results, and generic `ChatMessage`s with an OpenAI role.
 * Messages of the same role may follow each other; they are sent as they are.
 */
export function toOpenAIMessages(messages: readonly BaseMessage[]): OpenAIMessage[] {
  return messages.map(toOpenAIMessage);
}

function toOpenAIMessage(message: BaseMessage): OpenAIMessage {
  const name = message.name ? { name: message.name } : {};
  switch (message.type) {
    case 'system':
      return { role: 'system', content: message.text, ...name };
    case 'developer':
      return { role: 'developer', content: message.text, ...name };
    case 'human':
      return { role: 'user', content: userContent(message.content), ...name };
    case 'ai':
      return assistantMessage(message as AIMessage);
    case 'tool':
      return { role: 'tool', tool_call_id: (message as ToolMessage).tool_call_id, content: message.text };
    case 'generic':
      return chatMessage(message as ChatMessage);
    default:
      throw new TypeError(`ChatSwitchyard cannot send a message of type "${message.type}"`);
  }
}

function chatMessage(message: ChatMessage): OpenAIMessage {
  const role = message.role === 'human' ? 'user' : message.role === 'ai' ? 'assistant' : message.role;
  if (!ROLES_OF_CHAT_MESSAGES.has(role)) {
    throw new TypeError(`ChatSwitchyard cannot send a ChatMessage with the role "${message.role}"`);
  }
  if (role === 'user') return { role, content: userContent(message.content) };
  return { role: role as 'system' | 'developer' | 'assistant', content: message.text };
}

function assistantMessage(message: AIMessage): OpenAIMessage {
  const toolCalls: AssistantToolCall[] = [
    ...(message.tool_calls ?? []).map((call) => ({
      id: call.id ?? '',
      type: 'function' as const,
      function: { name: call.name, arguments: JSON.stringify(call.args) },
    })),
    // A call whose arguments did not parse still has to be answered by its tool message id.
    ...(message.invalid_tool_calls ?? []).map((call) => ({
      id: call.id ?? '',
      type: 'function' as const,
      function: { name: call.name ?? '', arguments: call.args ?? '' },
    })),
  ];
  const text = message.text;
  return {
    role: 'assistant',
    content: text === '' && toolCalls.length > 0 ? null : text,
    ...(message.name ? { name: message.name } : {}),
    ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
  };
}

function userContent(content: BaseMessage['content']): UserContent {
  if (typeof content === 'string') return content;
  return content.flatMap((block) => {
    const part = userPart(block as Record<string, unknown>);
    return part === undefined ? [] : [part];
  });
}

/** One content block of a human message as an OpenAI part; LangChain's image blocks become `image_url`. */
function userPart(block: Record<string, unknown>): UserPart | undefined {
  if (block.type === 'text') return { type: 'text', text: String(block.text ?? '') };
  if (block.type === 'image_url') {
    const image = block.image_url;
    return {
      type: 'image_url',
      image_url: typeof image === 'string' ? { url: image } : (image as { url: string }),
    };
  }
  if (block.type === 'image') {
    const mimeType = (block.mimeType ?? block.mime_type ?? 'image/png') as string;
    if (typeof block.url === 'string') return { type: 'image_url', image_url: { url: block.url } };
    if (typeof block.data === 'string') {
      return { type: 'image_url', image_url: { url: `data:${mimeType};base64,${block.data}` } };
    }
  }
  // Other OpenAI parts (input_audio, file) pass through; LangChain-only blocks are dropped.
  if (block.type === 'input_audio' || block.type === 'file') return block as unknown as UserPart;
  return undefined;
}
