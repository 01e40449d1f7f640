import type { RoutingTrace } from '@switchyard/core';

const pad = (text: string, width: number): string => text.padEnd(width);

/** Renders a routing trace as a few readable lines. */
export function formatTrace(title: string, trace: RoutingTrace): string {
  const served = trace.served;
  const who =
    served === undefined ? 'nobody' : `${served.target} (${served.provider}/${served.returnedModel})`;
  const flags = [
    trace.fallback ? 'fallback' : undefined,
    trace.escalated ? 'escalated' : undefined,
    trace.hedged ? 'hedged' : undefined,
    trace.routeSurprise ? 'route surprise' : undefined,
  ].filter((flag) => flag !== undefined);
  const lines = [
    `▸ ${title}`,
    `  ${trace.route === undefined ? `model "${trace.requestedModel}"` : `route "${trace.route}" (${trace.strategy})`} → served by ${who}`,
    `  ${trace.attempts.length} attempt(s) · ${flags.length > 0 ? flags.join(', ') : 'no fallback'} · $${trace.costUsd} · ${trace.latencyMs.toFixed(1)} ms`,
  ];
  for (const skipped of trace.skipped) {
    lines.push(
      `    skipped ${pad(skipped.target, 10)} ${skipped.reason}${skipped.detail === undefined ? '' : `: ${skipped.detail}`}`,
    );
  }
  for (const attempt of trace.attempts) {
    const status = attempt.status === undefined ? 'no answer' : `HTTP ${attempt.status}`;
    const retry = attempt.retry > 0 ? ` (retry ${attempt.retry})` : '';
    lines.push(
      `    #${attempt.index} ${pad(attempt.target, 10)} ${pad(attempt.outcome + retry, 30)} ${pad(status, 10)} ${pad(`${attempt.latencyMs.toFixed(1)} ms`, 10)} $${attempt.costUsd}${attempt.costEstimated ? ' (estimated)' : ''}`,
    );
  }
  return lines.join('\n');
}
