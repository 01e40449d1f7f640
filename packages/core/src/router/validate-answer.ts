import { AttemptError } from '../errors/attempt-error.js';
import type { ChatRequest, ChatResponse } from '../types/chat.js';
import type { AnswerValidator } from '../validators/answer-validator.js';

/**
 * Runs every validator on an answer, in order. A rejection throws a `bad_output`
 * {@link AttemptError} naming the validator; otherwise returns the value the first parsing
 * validator (JSON, JSON Schema, Standard Schema) produced, or undefined when none parsed. The
 * call's own validators run first, so a schema given with the call decides the value.
 */
export async function validateAnswer(input: {
  validators: readonly AnswerValidator[];
  response: ChatResponse;
  request: ChatRequest;
  sentModel: string;
  /** Who answered, for the message. */
  label: string;
}): Promise<unknown> {
  const message = input.response.choices[0]?.message;
  const text = typeof message?.content === 'string' ? message.content : '';
  let parsed: unknown;
  for (const validator of input.validators) {
    const verdict = await validator.validate({
      response: input.response,
      text,
      request: input.request,
      sentModel: input.sentModel,
    });
    if (!verdict.ok) {
      throw new AttemptError({
        code: 'bad_output',
        message: `${input.label} answer rejected by ${validator.name}: ${verdict.reason}`,
      });
    }
    if (parsed === undefined) parsed = verdict.value;
  }
  return parsed;
}
