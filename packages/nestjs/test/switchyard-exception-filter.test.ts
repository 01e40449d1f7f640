import { Body, Controller, NotFoundException, Post, UseFilters } from '@nestjs/common';
import type { SwitchyardConfig } from '@switchyard/core';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import {
  SwitchyardExceptionFilter,
  SwitchyardModule,
  type SwitchyardModuleForRootOptions,
  SwitchyardService,
} from '../src/index.js';
import {
  ask,
  CATALOG,
  CHEAP,
  createApp,
  type ErrorBody,
  mockConfig,
  PREMIUM,
  PROVIDER_KEY,
  startMock,
} from './support/nest-app.js';

@Controller('ask')
class AskController {
  constructor(private readonly switchyard: SwitchyardService) {}

  @Post()
  async ask(@Body() body: { model: string; timeoutMs?: number }): Promise<unknown> {
    const { response } = await this.switchyard.chat(
      ask('Hi.', body.model),
      body.timeoutMs === undefined ? {} : { timeoutMs: body.timeoutMs },
    );
    return { text: response.choices[0]?.message.content };
  }

  @Post('missing')
  missing(): never {
    throw new NotFoundException('no such thing');
  }
}

@Controller('filtered')
@UseFilters(SwitchyardExceptionFilter)
class FilteredController {
  constructor(private readonly switchyard: SwitchyardService) {}

  @Post()
  async ask(@Body() body: { model: string }): Promise<unknown> {
    return (await this.switchyard.chat(ask('Hi.', body.model))).response;
  }
}

async function start(
  options: Partial<SwitchyardModuleForRootOptions> = {},
  extra: Partial<SwitchyardConfig> = {},
) {
  const mock = await startMock();
  const app = await createApp({
    imports: [
      SwitchyardModule.forRoot({
        config: mockConfig(mock.url, extra),
        router: { catalog: CATALOG },
        identify: () => ({ key: 'web' }),
        ...options,
      }),
    ],
    controllers: [AskController, FilteredController],
  });
  return { mock, http: request(app.getHttpServer()) };
}

describe('SwitchyardExceptionFilter', () => {
  it('404 no_route for an unknown route or model, naming it', async () => {
    const { http } = await start();
    const answer = await http.post('/ask').send({ model: 'no-such-route' }).expect(404);
    expect(answer.headers['content-type']).toContain('application/json');
    const { error } = answer.body as ErrorBody;
    expect(error).toMatchObject({ type: 'not_found_error', code: 'no_route', param: null });
    expect(error.message).toContain('"no-such-route"');
  });

  it('429 rate_limited with Retry-After once the key is over its rate limit', async () => {
    const { mock, http } = await start({}, { limits: [{ scope: 'key', match: 'web', rpm: 1 }] });
    await http.post('/ask').send({ model: 'cheap' }).expect(201);
    const answer = await http.post('/ask').send({ model: 'cheap' }).expect(429);
    expect(Number(answer.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect((answer.body as ErrorBody).error).toMatchObject({
      type: 'rate_limit_error',
      code: 'rate_limited',
    });
    expect(mock.requests).toHaveLength(1);
  });

  it('502 listing each attempt with the trace headers, never the provider key an upstream echoed', async () => {
    const { mock, http } = await start();
    mock.script(PREMIUM, [{ kind: 'error', status: 500, message: `upstream rejected ${PROVIDER_KEY}` }]);
    mock.script(CHEAP, [{ kind: 'reset' }]);
    const answer = await http.post('/ask').send({ model: 'default' }).expect(502);
    expect(answer.headers['x-switchyard-route']).toBe('default');
    expect(answer.headers['x-switchyard-attempts']).toBe('2');
    expect(answer.headers['x-switchyard-fallback']).toBe('true');
    const { error } = answer.body as ErrorBody;
    expect(error.code).toBe('all_targets_failed');
    expect(error.message).toContain('premium: upstream_unavailable (HTTP 500)');
    expect(error.message).toContain('cheap: network');
    expect(answer.text).not.toContain(PROVIDER_KEY);
    expect(JSON.stringify(answer.headers)).not.toContain(PROVIDER_KEY);
  });

  it('504 when the deadline passes', async () => {
    const { mock, http } = await start();
    mock.script(PREMIUM, [{ kind: 'stall' }]);
    const answer = await http.post('/ask').send({ model: 'premium', timeoutMs: 200 }).expect(504);
    expect((answer.body as ErrorBody).error).toMatchObject({ type: 'timeout_error' });
  });

  it("leaves other errors to Nest: an HttpException keeps Nest's shape", async () => {
    const { http } = await start();
    const answer = await http.post('/ask/missing').expect(404);
    expect(answer.body).toEqual({ statusCode: 404, message: 'no such thing', error: 'Not Found' });
  });

  it('errorFilter: false leaves the app alone; @UseFilters() applies it where wanted', async () => {
    const { mock, http } = await start({ errorFilter: false });
    mock.script(PREMIUM, [{ kind: 'error', status: 503, times: 2 }]);
    // Nest's default rendering of an error with a status.
    const plain = await http.post('/ask').send({ model: 'premium' }).expect(502);
    expect(plain.body).toEqual({ statusCode: 502, message: expect.stringContaining('premium') });
    const filtered = await http.post('/filtered').send({ model: 'premium' }).expect(502);
    expect((filtered.body as ErrorBody).error).toMatchObject({
      type: 'api_error',
      code: 'upstream_unavailable',
    });
    expect(filtered.headers['x-switchyard-route']).toBe('premium');
  });
});
