import { Controller, Post } from '@nestjs/common';
import { formatUsd, parseUsd } from '@switchyard/core';
import OpenAI from 'openai';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import {
  createOpenAIController,
  LlmBudget,
  SwitchyardModule,
  SwitchyardService,
  UseRoute,
} from '../src/index.js';
import { CATALOG, createApp, type ErrorBody, listen, mockConfig, startMock } from './support/nest-app.js';

const SMALL = 'openai/text-embedding-3-small';
const MISTRAL = 'mistralai/mistral-embed';
const KEY = 'sy-nest-embed-key-0001';

@Controller('search')
@UseRoute('embed')
class SearchController {
  constructor(private readonly switchyard: SwitchyardService) {}

  /** No model named: the controller's `@UseRoute('embed')`. */
  @Post('index')
  async index(): Promise<unknown> {
    const { response, trace } = await this.switchyard.embed({ input: ['first doc', 'second doc'] });
    return {
      vectors: response.data.length,
      model: response.model,
      tokens: response.usage?.prompt_tokens,
      cost: trace.costUsd,
    };
  }

  /** A budget too small for any embedding of this input. */
  @Post('budgeted')
  @LlmBudget({ usd: '0.0000000001', period: 'day' })
  async budgeted(): Promise<unknown> {
    await this.switchyard.embed({ input: 'over the budget' });
    return {};
  }
}

async function start() {
  const mock = await startMock();
  const base = mockConfig(mock.url);
  const config = mockConfig(mock.url, {
    models: {
      ...base.models,
      small: { provider: 'mock', model: SMALL },
      mistral: { provider: 'mock', model: MISTRAL },
    },
    routes: { ...base.routes, embed: { strategy: 'fallback', targets: ['mistral', 'small'] } },
    keys: [{ name: 'team', key: KEY }],
  });
  const app = await createApp({
    imports: [SwitchyardModule.forRoot({ config, router: { catalog: CATALOG } })],
    controllers: [SearchController, createOpenAIController()],
  });
  return { mock, app, http: request(app.getHttpServer()) };
}

describe('SwitchyardService.embed()', () => {
  it('embeds on the handler’s @UseRoute, falls back, and puts the trace and cost in the headers', async () => {
    const { mock, app, http } = await start();
    mock.script(MISTRAL, [{ kind: 'error', status: 503 }]);
    const answer = await http.post('/search/index').expect(201);
    expect(answer.body).toMatchObject({ vectors: 2, model: SMALL });
    expect(answer.headers['x-switchyard-route']).toBe('embed');
    expect(answer.headers['x-switchyard-fallback']).toBe('true');
    expect(answer.headers['x-switchyard-attempts']).toBe('2');
    const price = CATALOG.find((model) => model.id === SMALL)?.pricing.prompt as string;
    expect(answer.body.cost).toBe(formatUsd(BigInt(answer.body.tokens) * parseUsd(price)));
    expect(answer.headers['x-switchyard-cost']).toBe(answer.body.cost);

    // Outside a request the service embeds too (a queue worker, say).
    const service = app.get(SwitchyardService);
    const { trace } = await service.embed({ model: 'small', input: 'from a worker' });
    expect(trace).toMatchObject({ operation: 'embeddings', served: { model: SMALL } });
  });

  it('applies @LlmBudget to embeddings: 402 in OpenAI’s shape before any upstream call', async () => {
    const { mock, http } = await start();
    const answer = await http.post('/search/budgeted').expect(402);
    expect((answer.body as ErrorBody).error).toMatchObject({
      code: 'budget_exceeded',
      type: 'insufficient_quota',
    });
    expect(mock.requests).toHaveLength(0);
  });

  it('serves POST /v1/embeddings through the OpenAI controller to the openai SDK, and 405 on GET', async () => {
    const { app } = await start();
    const origin = await listen(app);
    const client = new OpenAI({ baseURL: `${origin}/v1`, apiKey: KEY, maxRetries: 0 });
    const { data, response } = await client.embeddings
      .create({ model: 'small', input: ['nest', 'embeds'], dimensions: 16 })
      .withResponse();
    expect(data.data.map((item) => item.embedding.length)).toEqual([16, 16]);
    expect((data.usage as { cost?: number }).cost).toBe(Number(response.headers.get('x-switchyard-cost')));
    const wrong = await fetch(`${origin}/v1/embeddings`, { headers: { authorization: `Bearer ${KEY}` } });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
    const put = await fetch(`${origin}/v1/embeddings`, { method: 'PUT' });
    expect(((await put.json()) as ErrorBody).error.message).toBe(
      'PUT /v1/embeddings is not allowed; use POST',
    );
  });
});
