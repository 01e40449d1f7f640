import {
  type AnswerValidator,
  PASS,
  passWith,
  reject,
  type ValidationInput,
  type ValidationVerdict,
} from './answer-validator.js';

const FENCED_JSON = /^```(?:json)?\s*\n([\s\S]*?)\n?```$/;

/** Parses an answer's text as JSON, accepting one fenced ```json block. */
export function parseAnswerJson(text: string): { ok: true; value: unknown } | { ok: false; reason: string } {
  const trimmed = text.trim();
  const body = FENCED_JSON.exec(trimmed)?.[1] ?? trimmed;
  try {
    return { ok: true, value: JSON.parse(body) };
  } catch (error) {
    return { ok: false, reason: `answer is not valid JSON (${(error as Error).message})` };
  }
}

/** Rejects an answer with neither text nor tool calls. */
export function nonEmptyValidator(): AnswerValidator {
  return {
    name: 'nonEmpty',
    validate: ({ response, text }) => {
      const toolCalls = response.choices[0]?.message.tool_calls?.length ?? 0;
      return text.trim() !== '' || toolCalls > 0 ? PASS : reject('answer is empty');
    },
  };
}

/** Rejects an answer whose text is not JSON. Tool-call answers pass. */
export function jsonValidator(): AnswerValidator {
  return {
    name: 'json',
    validate: ({ response, text }) => {
      if ((response.choices[0]?.message.tool_calls?.length ?? 0) > 0 && text.trim() === '') return PASS;
      const parsed = parseAnswerJson(text);
      return parsed.ok ? passWith(parsed.value) : reject(parsed.reason);
    },
  };
}

const REFUSAL_STARTS = [
  /^i(?:'m| am) (?:sorry|afraid)[,.]? (?:but )?i (?:can(?:'|no)t|cannot|won't|am unable|'m unable)/i,
  /^i (?:can(?:'|no)t|cannot|won't|am unable to|'m unable to) (?:help|assist|comply|provide|do that|fulfill)/i,
  /^(?:sorry|unfortunately),? (?:but )?i (?:can(?:'|no)t|cannot|won't|am unable)/i,
  /^as an ai(?: language model)?,? i (?:can(?:'|no)t|cannot|won't|am unable)/i,
];

/** Options of {@link refusalValidator}. */
export interface RefusalValidatorOptions {
  /** Patterns matched against the start of the answer text, replacing the built-in English ones. */
  patterns?: readonly RegExp[];
}

/** Rejects refusals: a `message.refusal`, or text that opens like a refusal. */
export function refusalValidator(options: RefusalValidatorOptions = {}): AnswerValidator {
  const patterns = options.patterns ?? REFUSAL_STARTS;
  return {
    name: 'refusal',
    validate: ({ response, text }) => {
      const refusal = response.choices[0]?.message.refusal;
      if (typeof refusal === 'string' && refusal !== '')
        return reject(`model refused: ${refusal.slice(0, 200)}`);
      const opening = text.trimStart().slice(0, 200);
      return patterns.some((pattern) => pattern.test(opening))
        ? reject(`answer looks like a refusal: "${opening.slice(0, 80)}"`)
        : PASS;
    },
  };
}

/** Rejects an answer served by another model than the one sent. */
export function expectedModelValidator(): AnswerValidator {
  return {
    name: 'expectedModel',
    validate: ({ response, sentModel }) =>
      response.model === sentModel || response.model === undefined
        ? PASS
        : reject(`served by "${response.model}" instead of "${sentModel}"`),
  };
}

/**
 * Wraps a function as a validator. It returns true to pass, false or a string (the reason) to
 * reject, or a full verdict.
 */
export function customValidator(
  name: string,
  check: (
    input: ValidationInput,
  ) => boolean | string | ValidationVerdict | Promise<boolean | string | ValidationVerdict>,
): AnswerValidator {
  const toVerdict = (result: boolean | string | ValidationVerdict): ValidationVerdict => {
    if (result === true) return PASS;
    if (result === false) return reject(`rejected by ${name}`);
    if (typeof result === 'string') return reject(result);
    return result;
  };
  return {
    name,
    validate: (input) => {
      const result = check(input);
      return result instanceof Promise ? result.then(toVerdict) : toVerdict(result);
    },
  };
}
