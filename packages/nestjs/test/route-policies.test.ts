import type { IncomingMessage, ServerResponse } from 'node:http';
import { Body, Controller, Post, Res } from '@nestjs/common';
import { type Caller, type RoutingError, SwitchyardError } from '@switchyard/core';
import { GatewayError, writeChatStream } from '@switchyard/core/node';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import {
  LlmBudget,
  SwitchyardModule,
  type SwitchyardModuleOptions,
  SwitchyardService,
  UseRoute,
} from '../src/index.js';
import {
  ask,
  CATALOG,
  CHEAP,
  createApp,
  type ErrorBody,
  FAST,
  listen,
  mockConfig,
  PREMIUM,
  startMock,
} from './support/nest-app.js';

const textOf = (result: Awaited<ReturnType<SwitchyardService['chat']>>) =>
  result.response.choices[0]?.message.content;

@Controller('routed')
@UseRoute('quick')
class RoutedController {
  constructor(private readonly switchyard: SwitchyardService) {}

  /** No model named: the controller's route. */
  @Post('controller')
  async byController(): Promise<unknown> {
    return { text: textOf(await this.switchyard.chat(ask('Hi.'))) };
  }

  /** The handler's route wins over the controller's. */
  @Post('handler')
  @UseRoute('smart')
  async byHandler(): Promise<unknown> {
    return { text: textOf(await this.switchyard.chat(ask('Hi.'))) };
  }

  /** The call names a model: it wins over a plain @UseRoute. */
  @Post('named')
  async named(): Promise<unknown> {
    return { text: textOf(await this.switchyard.chat(ask('Hi.', 'premium'))) };
  }

  /** With override, the route wins over the model the call names. */
  @Post('override')
  @UseRoute('cheap', { override: true })
  async overridden(): Promise<unknown> {
    return { text: textOf(await this.switchyard.chat(ask('Hi.', 'premium'))) };
  }
}

const slowFailures: unknown[] = [];

@Controller('plain')
class PlainController {
  constructor(private readonly switchyard: SwitchyardService) {}

  @Post('no-model')
  async noModel(): Promise<unknown> {
    return { text: textOf(await this.switchyard.chat(ask('Hi.'))) };
  }

  /** Two calls: the headers add up attempts and cost, and describe the latest call. */
  @Post('twice')
  async twice(): Promise<unknown> {
    const first = await this.switchyard.chat(ask('One.', 'cheap'), { tags: ['first'] });
    const second = await this.switchyard.chat(ask('Two.', 'premium'));
    return {
      costs: [first.trace.costUsd, second.trace.costUsd],
      traces: this.switchyard.traces().length,
    };
  }

  /** A stream through the service, written as SSE by the shared bridge. */
  @Post('stream')
  @UseRoute('smart')
  async stream(@Res() response: ServerResponse): Promise<void> {
    await writeChatStream(response, await this.switchyard.stream(ask('Stream it.')));
  }

  /** Keeps what the call failed with, as the client is gone and cannot be told. */
  @Post('slow')
  async slow(): Promise<unknown> {
    try {
      return { text: textOf(await this.switchyard.chat(ask('Take your time.', 'premium'))) };
    } catch (error) {
      slowFailures.push(error);
      throw error;
    }
  }
}

@Controller('budgeted')
class BudgetedController {
  constructor(private readonly switchyard: SwitchyardService) {}

  /** A per-call ceiling far below any target's worst case. */
  @Post('ceiling')
  @UseRoute('default')
  @LlmBudget({ usd: '0.000001' })
  async ceiling(): Promise<unknown> {
    return { text: textOf(await this.switchyard.chat(ask('Hi.'))) };
  }

  /** A ceiling only the cheap target fits: the premium one is skipped. */
  @Post('cheap-only')
  @UseRoute('default')
  @LlmBudget({ usd: '0.001' })
  async cheapOnly(@Body() body: { max_tokens: number }): Promise<unknown> {
    return { text: textOf(await this.switchyard.chat({ ...ask('Hi.'), max_tokens: body.max_tokens })) };
  }

  /** A daily budget for all callers of this route together. */
  @Post('daily')
  @UseRoute('cheap')
  @LlmBudget({ usd: '0.01', period: 'day' })
  async daily(): Promise<unknown> {
    return { text: textOf(await this.switchyard.chat({ ...ask('Hi.'), max_tokens: 16 })) };
  }

  /** A daily budget per user. */
  @Post('per-user')
  @UseRoute('cheap')
  @LlmBudget({ usd: '0.01', period: 'day', per: 'user', name: 'per-user summaries' })
  async perUser(): Promise<unknown> {
    return { text: textOf(await this.switchyard.chat({ ...ask('Hi.'), max_tokens: 16 })) };
  }

  /** The same model, no budget. */
  @Post('free')
  @UseRoute('cheap')
  async free(): Promise<unknown> {
    return { text: textOf(await this.switchyard.chat({ ...ask('Hi.'), max_tokens: 16 })) };
  }
}

const header = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value[0] : value;

async function start(options: Partial<SwitchyardModuleOptions> = {}) {
  const mock = await startMock();
  const app = await createApp({
    imports: [
      SwitchyardModule.forRoot({ config: mockConfig(mock.url), router: { catalog: CATALOG }, ...options }),
    ],
    controllers: [RoutedController, PlainController, BudgetedController],
  });
  return { mock, app, http: request(app.getHttpServer()) };
}

describe('@UseRoute()', () => {
  it('routes calls that name no model: the handler wins over the controller', async () => {
    const { mock, http } = await start();
    const byController = await http.post('/routed/controller').expect(201);
    expect(byController.headers['x-switchyard-route']).toBe('quick');
    expect(byController.headers['x-switchyard-model']).toBe(FAST);
    expect(byController.body.text).toContain(`Mock reply from ${FAST}`);

    const byHandler = await http.post('/routed/handler').expect(201);
    expect(byHandler.headers['x-switchyard-route']).toBe('smart');
    expect(byHandler.headers['x-switchyard-model']).toBe(CHEAP);
    expect(mock.requests.map((entry) => entry.model)).toEqual([FAST, CHEAP]);
  });

  it('leaves a named model alone, unless override is set', async () => {
    const { http } = await start();
    const named = await http.post('/routed/named').expect(201);
    expect(named.headers['x-switchyard-route']).toBe('premium');
    expect(named.headers['x-switchyard-model']).toBe(PREMIUM);

    const overridden = await http.post('/routed/override').expect(201);
    expect(overridden.headers['x-switchyard-route']).toBe('cheap');
    expect(overridden.headers['x-switchyard-model']).toBe(CHEAP);
  });

  it('without a route nor a model the call is a programming error: a 500, nothing sent upstream', async () => {
    const { mock, http } = await start();
    const answer = await http.post('/plain/no-model').expect(500);
    expect(answer.body).toMatchObject({ statusCode: 500, message: 'Internal server error' });
    expect(mock.requests).toHaveLength(0);
  });
});

describe('@LlmBudget()', () => {
  it('without a period, caps the cost of each call: 402 cost_ceiling before any upstream call', async () => {
    const { mock, http } = await start();
    const answer = await http.post('/budgeted/ceiling').expect(402);
    const { error } = answer.body as ErrorBody;
    expect(error).toMatchObject({ type: 'insufficient_quota', code: 'cost_ceiling' });
    expect(answer.headers['x-switchyard-route']).toBe('default');
    expect(mock.requests).toHaveLength(0);
  });

  it('a ceiling skips the targets whose worst case is above it, so the cheap one serves', async () => {
    const { mock, http } = await start();
    // 16 completion tokens: premium's worst case (≈ $0.00027) fits $0.001; 2000 do not (≈ $0.03).
    const fits = await http.post('/budgeted/cheap-only').send({ max_tokens: 16 }).expect(201);
    expect(fits.headers['x-switchyard-model']).toBe(PREMIUM);
    const skipped = await http.post('/budgeted/cheap-only').send({ max_tokens: 2000 }).expect(201);
    expect(skipped.headers['x-switchyard-model']).toBe(CHEAP);
    expect(skipped.headers['x-switchyard-attempts']).toBe('1');
    expect(mock.requests.map((entry) => entry.model)).toEqual([PREMIUM, CHEAP]);
  });

  it('with a period, limits what the route spends: 402 naming the budget, other routes unaffected', async () => {
    const { mock, http } = await start();
    // One expensive answer: 200k prompt tokens at $0.10/M is $0.02, over the $0.01 budget.
    mock.script(CHEAP, [{ kind: 'success', usage: { prompt_tokens: 200_000, completion_tokens: 10 } }]);
    const first = await http.post('/budgeted/daily').expect(201);
    expect(Number(first.headers['x-switchyard-cost'])).toBeGreaterThan(0.01);

    const denied = await http.post('/budgeted/daily').expect(402);
    const { error } = denied.body as ErrorBody;
    expect(error.code).toBe('budget_exceeded');
    expect(error.message).toContain('BudgetedController.daily');

    await http.post('/budgeted/free').expect(201);
    expect(mock.requests).toHaveLength(2);
  });

  it("per: 'user' keeps one budget per caller, as identify() names them", async () => {
    const { mock, http } = await start({
      identify: (incoming: IncomingMessage) => ({ user: header(incoming.headers['x-user-id']) }),
    });
    mock.script(CHEAP, [{ kind: 'success', usage: { prompt_tokens: 200_000, completion_tokens: 10 } }]);
    await http.post('/budgeted/per-user').set('x-user-id', 'ada').expect(201);
    const denied = await http.post('/budgeted/per-user').set('x-user-id', 'ada').expect(402);
    expect((denied.body as ErrorBody).error.message).toContain('per-user summaries');
    await http.post('/budgeted/per-user').set('x-user-id', 'bob').expect(201);
  });

  it('module-wide budgets and ceiling apply to every call, the lower ceiling winning', async () => {
    const { mock, http } = await start({ maxCostUsd: '0.0000001' });
    const answer = await http.post('/routed/named').expect(402);
    expect((answer.body as ErrorBody).error.code).toBe('cost_ceiling');
    expect(mock.requests).toHaveLength(0);
  });
});

describe('the request scope', () => {
  it('takes the caller from identify(request): key, user and tags reach budgets and the ledger', async () => {
    const { app, http } = await start({
      identify: (incoming: IncomingMessage) => ({
        key: 'web',
        user: header(incoming.headers['x-user-id']),
        tags: ['nest'],
      }),
    });
    const answer = await http.post('/plain/twice').set('x-user-id', 'ada').expect(201);
    const { costs, traces } = answer.body as { costs: [string, string]; traces: number };
    expect(traces).toBe(2);
    // The headers add up both calls and describe the latest.
    expect(answer.headers['x-switchyard-attempts']).toBe('2');
    expect(answer.headers['x-switchyard-model']).toBe(PREMIUM);
    expect(Number(answer.headers['x-switchyard-cost'])).toBeCloseTo(Number(costs[0]) + Number(costs[1]), 12);
    const entries = await app.get(SwitchyardService).router.ledger.query({ user: 'ada' });
    expect(entries.map((entry) => [entry.key, entry.tags])).toEqual([
      ['web', ['nest', 'first']],
      ['web', ['nest']],
    ]);
  });

  it("keeps the module's provider policy, found from the request, on every call of the handler", async () => {
    const { app, http } = await start({
      identify: (incoming: IncomingMessage) => ({ key: header(incoming.headers['x-tenant']) }),
      policy: (_incoming: IncomingMessage, caller: Caller) =>
        caller.key === 'eu' ? { data_collection: 'deny' } : { sort: 'price' },
    });
    await http.post('/plain/twice').set('x-tenant', 'us').expect(201);
    const entries = await app.get(SwitchyardService).router.ledger.query({ key: 'us' });
    expect(entries.map((entry) => entry.policy)).toEqual([{ sort: 'price' }, { sort: 'price' }]);
    // The mock is no OpenRouter: it cannot promise data_collection: deny, so no target may serve.
    const refused = await http.post('/plain/twice').set('x-tenant', 'eu').expect(404);
    expect((refused.body as ErrorBody).error).toMatchObject({
      code: 'not_supported',
      message: 'no target can serve this request: cheap: policy:data_collection',
    });
  });

  it('an error thrown by identify() is the answer: a 401 in OpenAI shape, nothing sent upstream', async () => {
    const { mock, http } = await start({
      identify: () => {
        throw new GatewayError({ status: 401, code: 'missing_api_key', message: 'who are you?' });
      },
    });
    const answer = await http.post('/routed/named').expect(401);
    expect(answer.body).toEqual({
      error: { message: 'who are you?', type: 'authentication_error', code: 'missing_api_key', param: null },
    });
    expect(mock.requests).toHaveLength(0);
  });

  it("aborts the handler's upstream call when the client disconnects", async () => {
    const { mock, app } = await start();
    mock.script(PREMIUM, [{ kind: 'stall' }]);
    slowFailures.length = 0;
    const url = await listen(app);

    const controller = new AbortController();
    const pending = fetch(`${url}/plain/slow`, { method: 'POST', signal: controller.signal });
    await mock.waitForRequests(1);
    controller.abort();
    await expect(pending).rejects.toThrow();
    await mock.waitForSettled();
    expect(mock.requests[0]?.aborted).toBe(true);
    await expect.poll(() => (slowFailures[0] as RoutingError | undefined)?.code).toBe('aborted');
    expect(SwitchyardError.isInstance(slowFailures[0])).toBe(true);
  });

  it('streams through the service with the route and trace headers of the handler', async () => {
    const { app } = await start();
    const url = await listen(app);
    const response = await fetch(`${url}/plain/stream`, { method: 'POST' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(response.headers.get('x-switchyard-route')).toBe('smart');
    expect(response.headers.get('x-switchyard-model')).toBe(CHEAP);
    const events = (await response.text()).split('\n\n').filter((event) => event.startsWith('data: '));
    expect(events.at(-1)).toBe('data: [DONE]');
    const text = events
      .slice(0, -1)
      .map(
        (event) =>
          (JSON.parse(event.slice(6)) as { choices: Array<{ delta?: { content?: string } }> }).choices[0]
            ?.delta?.content ?? '',
      )
      .join('');
    expect(text).toBe(`Mock reply from ${CHEAP}: you said "Stream it.".`);
  });

  it('outside a request the service works with the model and caller the call names', async () => {
    const { app } = await start();
    const service = app.get(SwitchyardService);
    const result = await service.chat(ask('From a queue worker.', 'cheap'), { caller: { user: 'worker' } });
    expect(textOf(result)).toContain('From a queue worker.');
    expect(service.traces()).toEqual([]);
    const entries = await service.router.ledger.query({ user: 'worker' });
    expect(entries).toHaveLength(1);
    await expect(service.chat(ask('No model.'))).rejects.toThrow(/no @UseRoute\(\)/);
  });
});
