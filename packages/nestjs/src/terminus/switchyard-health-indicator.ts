import { Inject, Injectable } from '@nestjs/common';
import { type HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import type { BreakerState } from '@switchyard/core';
import type { SwitchyardState } from '../switchyard-state.js';
import { SWITCHYARD_STATE } from '../switchyard-tokens.js';

/** Options of {@link SwitchyardHealthIndicator.isHealthy}. */
export interface SwitchyardHealthOptions {
  /**
   * When the indicator is down: as soon as `any` target's breaker is open, or only when `all` are
   * (a fallback route still serves while one target rests).
   * @default 'any'
   */
  downWhen?: 'any' | 'all';
  /**
   * How long the budget store may take to answer a probe before it counts as unreachable.
   * @default 1000
   */
  storeTimeoutMs?: number;
}

const PROBE_BUCKET = 'switchyard:health-probe';

/**
 * The store's reachability: a custom budget store must answer a read in time; otherwise the
 * router's store (memory always answers; Redis must answer a PING) is asked.
 */
async function probeStore(
  state: SwitchyardState,
  timeoutMs: number,
): Promise<{ status: 'up' | 'down'; kind: string; error?: string }> {
  const custom = state.options.router?.budgetStore;
  const kind = custom === undefined ? state.router.store.kind : 'custom';
  let timer: NodeJS.Timeout | undefined;
  try {
    const answered = await Promise.race([
      custom === undefined ? state.router.store.ping() : custom.usage(PROBE_BUCKET).then(() => true),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return answered
      ? { status: 'up', kind }
      : { status: 'down', kind, error: `the ${kind} store does not answer` };
  } catch (error) {
    return { status: 'down', kind, error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A Terminus health indicator (`HealthIndicatorService` API, @nestjs/terminus ≥ 11): the circuit
 * breaker state of every target the router has called (`provider/model` → `closed`, `open`,
 * `half_open`) and the budget store's reachability. Down when a breaker is open (`downWhen`) or
 * the store does not answer. Provide it in the module of your health controller, next to
 * `TerminusModule`, where `SwitchyardModule` is imported (or global).
 * @example
 * @Get('health') @HealthCheck()
 * check() { return this.health.check([() => this.switchyard.isHealthy('llm')]); }
 */
@Injectable()
export class SwitchyardHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    @Inject(SWITCHYARD_STATE) private readonly state: SwitchyardState,
  ) {}

  /** Checks the router's breakers and store; `key` names the indicator in the health answer. */
  async isHealthy<const Key extends string = 'switchyard'>(
    key: Key = 'switchyard' as Key,
    options: SwitchyardHealthOptions = {},
  ): Promise<HealthIndicatorResult<Key>> {
    const session = this.indicators.check(key);
    const targets: Record<string, BreakerState> = this.state.router.breakerStates();
    const open = Object.keys(targets).filter((target) => targets[target] === 'open');
    const store = await probeStore(this.state, options.storeTimeoutMs ?? 1000);
    const count = Object.keys(targets).length;
    const breakersDown =
      (options.downWhen ?? 'any') === 'any' ? open.length > 0 : count > 0 && open.length === count;
    const data = { targets, open, store };
    return breakersDown || store.status === 'down' ? session.down(data) : session.up(data);
  }
}
