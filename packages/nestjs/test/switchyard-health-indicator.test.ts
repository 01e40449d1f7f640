import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService, TerminusModule } from '@nestjs/terminus';
import { type BudgetStore, createMemoryBudgetStore, type SwitchyardConfig } from '@switchyard/core';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { SwitchyardModule, SwitchyardService } from '../src/index.js';
import { SwitchyardHealthIndicator, type SwitchyardHealthOptions } from '../src/terminus/index.js';
import { ask, CATALOG, CHEAP, createApp, mockConfig, PREMIUM, startMock } from './support/nest-app.js';

const healthOptions: SwitchyardHealthOptions = {};

@Controller('health')
class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly switchyard: SwitchyardHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([() => this.switchyard.isHealthy('llm', healthOptions)]);
  }
}

async function start(input: { extra?: Partial<SwitchyardConfig>; budgetStore?: BudgetStore } = {}) {
  const mock = await startMock();
  const app = await createApp({
    imports: [
      TerminusModule.forRoot({ logger: false }),
      SwitchyardModule.forRoot({
        config: mockConfig(mock.url, {
          breaker: { failureThreshold: 2, cooldownMs: 60_000 },
          ...input.extra,
        }),
        router: {
          catalog: CATALOG,
          ...(input.budgetStore === undefined ? {} : { budgetStore: input.budgetStore }),
        },
      }),
    ],
    controllers: [HealthController],
    providers: [SwitchyardHealthIndicator],
  });
  return { mock, app, http: request(app.getHttpServer()), switchyard: app.get(SwitchyardService) };
}

describe('SwitchyardHealthIndicator', () => {
  it("is up with every target's breaker closed and the memory store", async () => {
    const { http, switchyard } = await start();
    await switchyard.chat(ask('Hi.', 'default'));
    const answer = await http.get('/health').expect(200);
    expect(answer.body).toMatchObject({
      status: 'ok',
      info: {
        llm: {
          status: 'up',
          targets: { [`mock/${PREMIUM}`]: 'closed' },
          open: [],
          store: { status: 'up', kind: 'memory' },
        },
      },
    });
  });

  it("turns down when a target's breaker opens, naming it", async () => {
    const { mock, http, switchyard } = await start();
    mock.script(PREMIUM, [{ kind: 'error', status: 502, times: 5 }]);
    // Two failures of premium (each request falls back to cheap) open its breaker.
    for (let call = 0; call < 2; call += 1) {
      const { trace } = await switchyard.chat(ask('Hi.', 'default'));
      expect(trace.served?.returnedModel).toBe(CHEAP);
    }
    const answer = await http.get('/health').expect(503);
    expect(answer.body).toMatchObject({
      status: 'error',
      error: {
        llm: {
          status: 'down',
          targets: { [`mock/${PREMIUM}`]: 'open', [`mock/${CHEAP}`]: 'closed' },
          open: [`mock/${PREMIUM}`],
        },
      },
    });
    // The third request does not try premium at all: its breaker is open.
    const { trace } = await switchyard.chat(ask('Hi.', 'default'));
    expect(trace.skipped.map((skipped) => skipped.target)).toEqual(['premium']);
    expect(mock.requests.filter((entry) => entry.model === PREMIUM)).toHaveLength(2);
  });

  it("with downWhen: 'all', stays up while another target can still serve", async () => {
    const { mock, http, switchyard } = await start();
    mock.script(PREMIUM, [{ kind: 'error', status: 502, times: 5 }]);
    await switchyard.chat(ask('Hi.', 'default'));
    await switchyard.chat(ask('Hi.', 'default'));
    healthOptions.downWhen = 'all';
    try {
      const answer = await http.get('/health').expect(200);
      expect(answer.body.info.llm).toMatchObject({ status: 'up', open: [`mock/${PREMIUM}`] });
    } finally {
      delete healthOptions.downWhen;
    }
  });

  it('turns down when the budget store does not answer', async () => {
    const memory = createMemoryBudgetStore();
    let reachable = true;
    const store: BudgetStore = {
      reserve: (input) => memory.reserve(input),
      settle: (reservation, actual) => memory.settle(reservation, actual),
      usage: (id) =>
        reachable ? memory.usage(id) : Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6379')),
    };
    const { http } = await start({ budgetStore: store });
    expect((await http.get('/health').expect(200)).body.info.llm.store).toEqual({
      status: 'up',
      kind: 'custom',
    });
    reachable = false;
    const answer = await http.get('/health').expect(503);
    expect(answer.body.error.llm.store).toEqual({
      status: 'down',
      kind: 'custom',
      error: 'connect ECONNREFUSED 127.0.0.1:6379',
    });
  });
});
