const KEY_PATTERN = /\b(?:sk|rk|pk)-[A-Za-z0-9_-]{8,}|\bBearer\s+[A-Za-z0-9._~+/=-]{8,}/g;

/**
 * Removes secrets from text that may reach a client or a log: each known secret (the configured
 * API keys) and anything shaped like a bearer token or an `sk-` key.
 */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  let result = text;
  for (const secret of secrets) {
    if (secret.length >= 4 && result.includes(secret)) result = result.split(secret).join('[redacted]');
  }
  return result.replace(KEY_PATTERN, '[redacted]');
}
