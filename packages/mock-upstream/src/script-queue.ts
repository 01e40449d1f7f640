import { ERROR_STATUSES, type ScriptStep } from './script-step.js';

/** Every step kind, for validating scripts written in plain JavaScript. */
const KINDS = new Set<string>([
  'success',
  'error',
  'error-200',
  'finish-error',
  'empty-choices',
  'reset',
  'stall',
  'mid-stream-error',
  'no-finish',
]);

/** Scripted behaviours per requested model id. */
export interface ScriptQueue {
  /** Appends steps for a model. */
  append(model: string, steps: readonly ScriptStep[]): void;
  /** Consumes the next step for a model (a step with `times: n` is returned n times). */
  next(model: string): ScriptStep | undefined;
  /** Forgets every script. */
  clear(): void;
}

/** Creates an empty script queue. */
export function createScriptQueue(): ScriptQueue {
  const queues = new Map<string, Array<{ step: ScriptStep; remaining: number }>>();
  return {
    append(model, steps) {
      const queue = queues.get(model) ?? [];
      for (const step of steps) {
        validateStep(step);
        queue.push({ step, remaining: step.times ?? 1 });
      }
      queues.set(model, queue);
    },
    next(model) {
      const queue = queues.get(model);
      const head = queue?.[0];
      if (queue === undefined || head === undefined) return undefined;
      head.remaining -= 1;
      if (head.remaining <= 0) queue.shift();
      if (queue.length === 0) queues.delete(model);
      return head.step;
    },
    clear() {
      queues.clear();
    },
  };
}

/** Throws a TypeError for steps the mock cannot play. */
function validateStep(step: ScriptStep): void {
  if (!KINDS.has(step.kind)) throw new TypeError(`Unknown script step kind "${String(step.kind)}".`);
  if (step.times !== undefined && (!Number.isInteger(step.times) || step.times < 1)) {
    throw new TypeError(`Script step "times" must be a positive integer, got ${step.times}.`);
  }
  if (step.kind === 'error' && !ERROR_STATUSES.includes(step.status)) {
    throw new TypeError(
      `Script error status must be one of ${ERROR_STATUSES.join(', ')}, got ${step.status}.`,
    );
  }
}
