import { CliUsageError } from './cli-usage-error.js';

/** The environment variable that holds a gateway's admin key (never a flag: shell history). */
export const ADMIN_KEY_VARIABLE = 'SWITCHYARD_ADMIN_KEY';

/** Where a gateway's admin endpoints are, and the key they want. */
export interface GatewayAdmin {
  /** The gateway's origin, e.g. `http://127.0.0.1:8787`. */
  url: URL;
  key: string;
}

/** The `--gateway` URL and the admin key from the environment; a usage error naming what is wrong. */
export function gatewayAdmin(input: {
  gateway: string | undefined;
  env: Readonly<Record<string, string | undefined>>;
}): GatewayAdmin {
  if (input.gateway === undefined)
    throw new CliUsageError('missing --gateway <url>: the running gateway to ask');
  if (!URL.canParse(input.gateway) || !/^https?:$/.test(new URL(input.gateway).protocol)) {
    throw new CliUsageError(`--gateway must be an http(s) URL, got "${input.gateway}"`);
  }
  const key = input.env[ADMIN_KEY_VARIABLE]?.trim();
  if (!key) {
    throw new CliUsageError(
      `${ADMIN_KEY_VARIABLE} is not set: the gateway's admin key (the one it was started with)`,
    );
  }
  return { url: new URL(input.gateway), key };
}

/**
 * GETs an admin path of the gateway. A refusal throws an Error with the gateway's own message
 * (an OpenAI-shaped error, which never holds a secret) and its status.
 */
export async function getAdmin(admin: GatewayAdmin, path: string): Promise<Response> {
  const url = new URL(path, admin.url);
  let response: Response;
  try {
    response = await fetch(url, { headers: { authorization: `Bearer ${admin.key}` } });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    throw new Error(`could not reach the gateway at ${admin.url.origin}${cause ? ` (${cause})` : ''}`);
  }
  if (response.ok) return response;
  const text = await response.text();
  let message = text.slice(0, 300);
  try {
    message = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? message;
  } catch {
    // not JSON: the text as is
  }
  const hint = response.status === 404 ? ' (is the gateway started with SWITCHYARD_ADMIN_KEY?)' : '';
  throw new Error(`the gateway answered ${response.status}: ${message}${hint}`);
}
