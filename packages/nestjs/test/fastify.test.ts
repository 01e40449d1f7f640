import { Controller, Post } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { describe, expect, it } from 'vitest';
import {
  createOpenAIController,
  LlmBudget,
  SwitchyardModule,
  SwitchyardService,
  UseRoute,
} from '../src/index.js';
import {
  ask,
  CATALOG,
  CHEAP,
  type ErrorBody,
  mockConfig,
  onCleanup,
  PREMIUM,
  startMock,
} from './support/nest-app.js';

@Controller('fastify')
class FastifyController {
  constructor(private readonly switchyard: SwitchyardService) {}

  @Post('ask')
  @UseRoute('smart')
  async ask(): Promise<unknown> {
    const { response } = await this.switchyard.chat(ask('Hi.'));
    return { text: response.choices[0]?.message.content };
  }

  @Post('tight')
  @UseRoute('default')
  @LlmBudget({ usd: '0.0000001' })
  async tight(): Promise<unknown> {
    return (await this.switchyard.chat(ask('Hi.'))).response;
  }
}

/** The same module on Nest's Fastify platform, listening on a free loopback port. */
async function startFastify(): Promise<{ url: string; mock: Awaited<ReturnType<typeof startMock>> }> {
  const mock = await startMock();
  // An alias named like the upstream's id, and CORS for one origin.
  const config = mockConfig(mock.url, { cors: { origins: ['https://app.example.com'] } });
  config.models = { ...config.models, [PREMIUM]: { provider: 'mock', model: PREMIUM } };
  const moduleRef = await Test.createTestingModule({
    imports: [SwitchyardModule.forRoot({ config, router: { catalog: CATALOG } })],
    controllers: [FastifyController, createOpenAIController()],
  }).compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), {
    logger: false,
  });
  onCleanup(() => app.close());
  await app.listen(0, '127.0.0.1');
  return { url: await app.getUrl(), mock };
}

describe('on the Fastify platform', () => {
  it('applies the decorators, sets the trace headers and renders errors', async () => {
    const { url } = await startFastify();
    const answer = await fetch(`${url}/fastify/ask`, { method: 'POST' });
    expect(answer.status).toBe(201);
    expect(answer.headers.get('x-switchyard-route')).toBe('smart');
    expect(answer.headers.get('x-switchyard-model')).toBe(CHEAP);
    expect(((await answer.json()) as { text: string }).text).toContain(`Mock reply from ${CHEAP}`);

    const tight = await fetch(`${url}/fastify/tight`, { method: 'POST' });
    expect(tight.status).toBe(402);
    expect(((await tight.json()) as ErrorBody).error.code).toBe('cost_ceiling');
  });

  it('serves the OpenAI endpoints through the shared bridge: JSON, SSE, 405, and the upstream aborted on disconnect', async () => {
    const { url, mock } = await startFastify();
    const post = (body: object, signal?: AbortSignal) =>
      fetch(`${url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        ...(signal === undefined ? {} : { signal }),
      });
    const json = await post(ask('Hi.', 'premium'));
    expect(json.status).toBe(200);
    expect(json.headers.get('x-switchyard-model')).toBe(PREMIUM);

    const stream = await post({ ...ask('Stream.', 'cheap'), stream: true });
    expect(stream.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(await stream.text()).toContain('data: [DONE]');

    const wrong = await fetch(`${url}/v1/chat/completions`);
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
    expect(((await wrong.json()) as ErrorBody).error.code).toBe('method_not_allowed');

    mock.script(PREMIUM, [{ kind: 'stall', afterChunks: 1 }]);
    const controller = new AbortController();
    const stalled = await post({ ...ask('Go on.', 'premium'), stream: true }, controller.signal);
    await (stalled.body as ReadableStream<Uint8Array>).getReader().read();
    controller.abort();
    await mock.waitForSettled();
    expect(mock.requests.at(-1)?.aborted).toBe(true);
  });

  it('serves models/{id} with a slash in the id, and CORS from the config', async () => {
    const { url } = await startFastify();
    for (const path of [
      `/v1/models/${encodeURIComponent(PREMIUM)}`,
      `/v1/models/${PREMIUM}`,
      '/v1/models/cheap',
    ]) {
      const response = await fetch(`${url}${path}`);
      expect([path, response.status]).toEqual([path, 200]);
      expect(((await response.json()) as { object: string }).object).toBe('model');
    }
    const unknown = await fetch(`${url}/v1/models/nope`);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as ErrorBody).error.code).toBe('not_found');

    const preflight = (origin: string) =>
      fetch(`${url}/v1/chat/completions`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
        },
      });
    const granted = await preflight('https://app.example.com');
    expect(granted.status).toBe(204);
    expect(granted.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(granted.headers.get('access-control-allow-headers')).toBe('content-type');
    const refused = await preflight('https://evil.example.net');
    expect(refused.status).toBe(403);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
  });
});
