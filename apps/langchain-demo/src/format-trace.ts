import { type SwitchyardResponseMetadata, switchyardMetadata } from '@switchyard/langchain';

/** The routing metadata of an answer of ChatSwitchyard (throws for any other message). */
export function requireMetadata(
  message: { response_metadata?: Record<string, unknown> } | undefined,
): SwitchyardResponseMetadata {
  const metadata = message === undefined ? undefined : switchyardMetadata(message);
  if (metadata === undefined) throw new Error('the answer carries no Switchyard metadata');
  return metadata;
}

/** `$0.000342`: USD from an exact decimal string. */
export const usd = (amount: string): string => `$${amount}`;

/**
 * The routing trace of an answer as a few indented lines: the route and who served, each
 * attempt with its outcome and cost, and the whole request's cost.
 */
export function formatTrace(metadata: SwitchyardResponseMetadata): string {
  const flags = [metadata.fallback ? 'fell back' : '', metadata.escalated ? 'escalated' : '']
    .filter((flag) => flag !== '')
    .join(', ');
  const lines = [
    `   route ${metadata.route ?? '(none)'} (${metadata.strategy ?? 'direct'}) → served by ${metadata.model_name} via ${metadata.provider}${flags ? `, ${flags}` : ''}`,
    ...metadata.trace.attempts.map(
      (attempt, index) =>
        `     ${index + 1}. ${attempt.model}: ${attempt.outcome}${attempt.message ? ` (${attempt.message})` : ''}, ${usd(attempt.costUsd)}`,
    ),
    `   cost ${usd(metadata.cost_usd)} for ${metadata.attempts} attempt${metadata.attempts === 1 ? '' : 's'}, fees included`,
  ];
  return lines.join('\n');
}
