import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TargetDescription } from '../../router/describe-targets.js';
import type { DoorContext } from '../door-context.js';
import { GatewayError } from '../gateway-error.js';
import type { GatewayKey } from '../gateway-keys.js';
import { sendJson } from '../send-json.js';

/** One route or alias in OpenAI's model shape, with Switchyard's description beside it. */
function modelEntry(entry: TargetDescription, created: number) {
  return { id: entry.id, object: 'model', created, owned_by: 'switchyard', switchyard: entry };
}

/**
 * Unix seconds of each gateway's first model answer: one `created` for every answer of a gateway,
 * so a listed model and the same one retrieved are equal (a timestamp per request differed when
 * the two straddled a second).
 */
const createdAt = new WeakMap<DoorContext, number>();

function createdOf(context: DoorContext): number {
  let created = createdAt.get(context);
  if (created === undefined) {
    created = Math.floor(Date.now() / 1000);
    createdAt.set(context, created);
  }
  return created;
}

/** A path segment percent-decoded (`openai%2Fgpt-4o-mini`), or undefined when it is malformed. */
function decodeSegment(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/** `GET /models`: the routes and aliases the caller's key may use, with prices. */
export function modelsDoor(context: DoorContext) {
  const { router, keys } = context;
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const started = performance.now();
    let key: GatewayKey | undefined;
    try {
      key = keys.authenticate(request);
      const allowed = key?.routes;
      const created = createdOf(context);
      const data = router
        .describe()
        .filter((entry) => allowed === undefined || allowed.has(entry.id))
        .map((entry) => modelEntry(entry, created));
      sendJson(response, { status: 200, json: JSON.stringify({ object: 'list', data }), headers: [] });
      context.log({ request, started, status: 200, stream: false, key, trace: undefined, error: undefined });
    } catch (error) {
      context.fail({ request, started, response, error, key, stream: false });
    }
  };
}

/** `GET /models/{id}`: one entry of the list; a 404 alike for an unknown id and one the key may not use. */
export function modelDoor(context: DoorContext) {
  const { router, keys } = context;
  return async (request: IncomingMessage, response: ServerResponse, segment: string): Promise<void> => {
    const started = performance.now();
    let key: GatewayKey | undefined;
    try {
      key = keys.authenticate(request);
      const id = decodeSegment(segment);
      const entry = id === undefined ? undefined : router.describe().find((each) => each.id === id);
      if (entry === undefined || (key?.routes !== undefined && !key.routes.has(entry.id))) {
        throw new GatewayError({
          code: 'not_found',
          param: 'model',
          message: `The model \`${id ?? segment}\` does not exist or you do not have access to it.`,
        });
      }
      const json = JSON.stringify(modelEntry(entry, createdOf(context)));
      sendJson(response, { status: 200, json, headers: [] });
      context.log({ request, started, status: 200, stream: false, key, trace: undefined, error: undefined });
    } catch (error) {
      context.fail({ request, started, response, error, key, stream: false });
    }
  };
}
