import { ERROR_STATUSES, type ErrorStatus, type ScriptStep } from './script-step.js';
import type { RandomSource } from './seeded-random.js';

/**
 * Behaviours random faults can pick besides error statuses (each with its default parameters).
 * `slow` is a normal success that starts `slowMs` late: a slow answer, not a broken one.
 */
export type RandomFaultBehaviour =
  | 'slow'
  | 'reset'
  | 'stall'
  | 'error-200'
  | 'finish-error'
  | 'empty-choices'
  | 'mid-stream-error'
  | 'no-finish';

/** What a random fault can be: an HTTP error status, or a behaviour of {@link ScriptStep}. */
export type RandomFaultKind = ErrorStatus | RandomFaultBehaviour;

/**
 * Seeded random faults: each chat request without a scripted step draws one number and gets at
 * most one fault. The same seed and the same sequence of requests give the same faults.
 * @example { rates: { 429: 0.1, 502: 0.05, reset: 0.01, 'error-200': 0.01 }, models: ['openai/gpt-4o'] }
 */
export interface RandomFaults {
  /** Probability of each fault per request, between 0 and 1; they must add up to at most 1. */
  rates: Partial<Record<RandomFaultKind, number>>;
  /** Only requests for these model ids (as requested) draw faults; absent means all models. */
  models?: string[];
  /**
   * How late a `slow` fault starts its answer, in milliseconds (added to the random latency).
   * @default 2000
   */
  slowMs?: number;
}

/** The delay of a `slow` fault when `slowMs` is not given. */
export const DEFAULT_SLOW_MS = 2000;

const BEHAVIOURS: readonly RandomFaultBehaviour[] = [
  'slow',
  'reset',
  'stall',
  'error-200',
  'finish-error',
  'empty-choices',
  'mid-stream-error',
  'no-finish',
];

/** Options of {@link createFaultPicker}. */
export interface FaultPickerOptions {
  /** The configured faults; absent means none. */
  faults: RandomFaults | undefined;
  /** Seeded source of randomness (one draw per eligible request). */
  random: RandomSource;
}

/** Returns a function that draws the fault, if any, for a request to `model`. */
export function createFaultPicker(
  options: FaultPickerOptions,
): (model: string | undefined) => ScriptStep | undefined {
  const { faults, random } = options;
  if (faults === undefined) return () => undefined;
  const table = parseFaultRates(faults.rates, { slowMs: faults.slowMs });
  if (table.length === 0) return () => undefined;
  const models = faults.models === undefined ? undefined : new Set(faults.models);
  return (model) => {
    if (models !== undefined && (model === undefined || !models.has(model))) return undefined;
    const draw = random();
    let cumulative = 0;
    for (const entry of table) {
      cumulative += entry.rate;
      if (draw < cumulative) return entry.step;
    }
    return undefined;
  };
}

/** Validates the rates and turns them into steps with cumulative order (statuses first, ascending). */
export function parseFaultRates(
  rates: RandomFaults['rates'],
  options: { slowMs?: number | undefined } = {},
): Array<{ rate: number; step: ScriptStep }> {
  const slowMs = options.slowMs ?? DEFAULT_SLOW_MS;
  if (!Number.isFinite(slowMs) || slowMs < 0) {
    throw new RangeError(`slowMs must be a number of milliseconds ≥ 0, got ${String(slowMs)}.`);
  }
  const table: Array<{ rate: number; step: ScriptStep }> = [];
  let total = 0;
  for (const [key, rate] of Object.entries(rates)) {
    if (rate === undefined) continue;
    if (typeof rate !== 'number' || !Number.isFinite(rate) || rate < 0 || rate > 1) {
      throw new RangeError(`Fault rate for "${key}" must be a number between 0 and 1, got ${String(rate)}.`);
    }
    total += rate;
    if (rate > 0) table.push({ rate, step: stepForFault(key, slowMs) });
  }
  if (total > 1 + 1e-9)
    throw new RangeError(`Fault rates add up to ${total}; they must add up to at most 1.`);
  return table;
}

/** The step a fault key stands for; throws for unknown keys. */
function stepForFault(key: string, slowMs: number): ScriptStep {
  const status = Number(key);
  if (ERROR_STATUSES.includes(status as ErrorStatus)) return { kind: 'error', status: status as ErrorStatus };
  if (key === 'slow') return { kind: 'success', delayMs: slowMs };
  if (BEHAVIOURS.includes(key as RandomFaultBehaviour))
    return { kind: key as Exclude<RandomFaultBehaviour, 'slow'> };
  throw new RangeError(
    `Unknown fault "${key}". Use an error status (${ERROR_STATUSES.join(', ')}) or one of: ${BEHAVIOURS.join(', ')}.`,
  );
}
