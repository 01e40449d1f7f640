import { abortableWait } from './abortable-wait.js';
import type { Exchange } from './exchange.js';

/** Why a body is not JSON, or its value. */
export type ParsedBody = { ok: true; value: unknown } | { ok: false; message: string };

/** JSON.parse without throwing. */
export function parseJson(text: string): ParsedBody {
  if (text.trim() === '') return { ok: false, message: 'empty body' };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

/** Whether a value is a plain JSON object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Sends OpenRouter's error JSON with `status` (no `user_id` on a 401, as OpenRouter does). */
export function rejectWith(
  exchange: Exchange,
  error: { status: number; message: string; userId: string },
): void {
  const body = { code: error.status, message: error.message };
  exchange.sendJson(
    error.status,
    error.status === 401 ? { error: body } : { error: body, user_id: error.userId },
  );
}

/**
 * Why the request's key is refused, OpenRouter's wording: none sent, or (with `apiKeys`) not one
 * of them; undefined when it passes. The key is a bearer token, or (as Anthropic's API takes it)
 * an `x-api-key` header when no `Authorization` is sent.
 */
export function keyRefusal(exchange: Exchange, apiKeys: ReadonlySet<string> | undefined): string | undefined {
  const { authorization, 'x-api-key': apiKey } = exchange.request.headers;
  const key =
    authorization === undefined && typeof apiKey === 'string' && apiKey.trim() !== ''
      ? apiKey.trim()
      : /^Bearer\s+(\S.*)$/i.exec((authorization ?? '').trim())?.[1];
  if (key === undefined) return 'No auth credentials found';
  if (apiKeys !== undefined && !apiKeys.has(key)) return 'User not found.';
  return undefined;
}

/** A request past the checks every POST endpoint makes first. */
export interface AdmittedRequest {
  /** The body, a JSON object of the endpoint's shape. */
  body: Record<string, unknown>;
  /** The latency drawn for this request, not waited yet. */
  latency: number;
  /** Sends an error in OpenRouter's shape. */
  reject(status: number, message: string): void;
}

/**
 * What every POST endpoint does first, in OpenRouter's order: log the body (and the model it
 * names); authenticate (401); draw the latency; check the body is JSON of the endpoint's shape
 * (400 after the latency). Resolves undefined when it answered the request itself.
 */
export async function admitRequest(
  exchange: Exchange,
  input: {
    bodyText: string;
    dependencies: { apiKeys?: ReadonlySet<string> | undefined; userId: string; sampleLatency: () => number };
    /** Why a JSON body is not of the endpoint's shape, OpenRouter's wording; undefined when it is. */
    shapeProblem: (body: Record<string, unknown> | undefined) => string | undefined;
  },
): Promise<AdmittedRequest | undefined> {
  const { entry } = exchange;
  const { dependencies } = input;
  const parsed = parseJson(input.bodyText);
  entry.body = parsed.ok ? parsed.value : input.bodyText;
  const body = parsed.ok && isRecord(parsed.value) ? parsed.value : undefined;
  if (typeof body?.model === 'string') entry.model = body.model;
  entry.stream = body?.stream === true;
  exchange.publish();

  const reject = (status: number, message: string): void =>
    rejectWith(exchange, { status, message, userId: dependencies.userId });
  const refusal = keyRefusal(exchange, dependencies.apiKeys);
  if (refusal !== undefined) {
    reject(401, refusal);
    return undefined;
  }
  const latency = dependencies.sampleLatency();
  const invalid = parsed.ok ? input.shapeProblem(body) : `Invalid JSON in request body: ${parsed.message}`;
  if (invalid !== undefined || body === undefined) {
    if (await abortableWait(latency, exchange.signal)) reject(400, invalid ?? 'Invalid request parameters');
    return undefined;
  }
  return { body, latency, reject };
}
