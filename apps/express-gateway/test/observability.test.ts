import { mkdtemp, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type MockUpstream, startMockUpstream } from '@switchyard/mock-upstream';
import OpenAI from 'openai';
import { afterAll, describe, expect, it } from 'vitest';
import { gatewayProcesses } from './gateway-process.js';

const PROVIDER_KEY = 'sk-or-v1-observability-secret-4242';
const GATEWAY_KEY = 'sy-observability-gateway-key-777';
const ADMIN_KEY = 'sy-observability-admin-key-99999';
const PRIMARY = 'anthropic/claude-sonnet-4.6';
const BACKUP = 'meta-llama/llama-3.3-70b-instruct';
const ALIASED = 'openai/gpt-4o';
const SERVED = 'openai/gpt-4o-2024-11-20';
const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const CALLER_SPAN = 'b7ad6b7169203331';

/** What an OTLP/HTTP JSON exporter posted, by path (`/v1/traces`, `/v1/metrics`). */
interface Received {
  path: string;
  contentType: string;
  text: string;
}

/** An in-process OTLP receiver: a real node:http server taking OTLP http/json. */
async function startReceiver(): Promise<{ server: Server; url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        path: request.url ?? '',
        contentType: request.headers['content-type'] ?? '',
        text: Buffer.concat(chunks).toString('utf8'),
      });
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

interface OtlpAttribute {
  key: string;
  value: Record<string, unknown>;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: OtlpAttribute[];
}

/** An OTLP attribute value as plain JSON (int64 may come as a string). */
function plain(value: Record<string, unknown>): unknown {
  if ('stringValue' in value) return value.stringValue;
  if ('boolValue' in value) return value.boolValue;
  if ('intValue' in value) return Number(value.intValue);
  if ('doubleValue' in value) return value.doubleValue;
  if ('arrayValue' in value)
    return ((value.arrayValue as { values?: Record<string, unknown>[] }).values ?? []).map(plain);
  return value;
}
const attributesOf = (span: OtlpSpan) =>
  Object.fromEntries(span.attributes.map((attribute) => [attribute.key, plain(attribute.value)]));

function spansOf(received: Received[]): Array<OtlpSpan & { service: unknown }> {
  return received
    .filter((each) => each.path === '/v1/traces')
    .flatMap((each) => JSON.parse(each.text).resourceSpans)
    .flatMap(
      (resource: { resource: { attributes: OtlpAttribute[] }; scopeSpans: { spans: OtlpSpan[] }[] }) => {
        const service = resource.resource.attributes.find((attribute) => attribute.key === 'service.name');
        return resource.scopeSpans.flatMap((scope) =>
          scope.spans.map((span) => ({ ...span, service: service && plain(service.value) })),
        );
      },
    );
}

const metricNames = (received: Received[]): string[] =>
  received
    .filter((each) => each.path === '/v1/metrics')
    .flatMap((each) => JSON.parse(each.text).resourceMetrics)
    .flatMap((resource: { scopeMetrics: { metrics: { name: string }[] }[] }) =>
      resource.scopeMetrics.flatMap((scope) => scope.metrics.map((metric) => metric.name)),
    );

/** The value of one series in a text exposition, by its exact name and labels. */
const seriesValue = (text: string, series: string): number | undefined => {
  const line = text.split('\n').find((each) => each.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe('the gateway process with OpenTelemetry and Prometheus on', () => {
  const processes = gatewayProcesses();
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let mock: MockUpstream;
  let url: string;
  let starting: Promise<void> | undefined;
  // Started by the first test that needs it (expect.poll, waiting for the banner, runs in a test).
  const started = (): Promise<void> => {
    starting ??= start();
    return starting;
  };

  async function start(): Promise<void> {
    receiver = await startReceiver();
    mock = await startMockUpstream({ aliases: { [ALIASED]: SERVED } });
    const directory = await mkdtemp(join(tmpdir(), 'switchyard-otel-'));
    const configFile = join(directory, 'switchyard.json');
    await writeFile(
      configFile,
      JSON.stringify({
        providers: { mock: { baseURL: mock.url, apiKey: PROVIDER_KEY } },
        models: {
          primary: { provider: 'mock', model: PRIMARY },
          backup: { provider: 'mock', model: BACKUP },
          aliased: { provider: 'mock', model: ALIASED },
        },
        routes: {
          default: { strategy: 'fallback', targets: ['primary', 'backup'] },
          surprise: { strategy: 'fallback', targets: ['aliased'] },
        },
        keys: [{ name: 'team-a', key: GATEWAY_KEY }],
        retry: { maxAttempts: 1 },
      }),
    );
    ({ url } = await processes.start(configFile, {
      SWITCHYARD_ADMIN_KEY: ADMIN_KEY,
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_SERVICE_NAME: 'switchyard-under-test',
      OTEL_TRACES_SAMPLER: 'parentbased_always_on',
      OTEL_BSP_SCHEDULE_DELAY: '100',
      OTEL_METRIC_EXPORT_INTERVAL: '300',
      OTEL_LOGS_EXPORTER: 'none',
    }));
  }
  afterAll(async () => {
    processes.killAll();
    await mock?.close();
    await new Promise((resolve) => receiver?.server.close(resolve));
  });

  it('exports GenAI spans continuing the caller trace, carries it upstream, and counts the traffic on /metrics', async () => {
    await started();
    const client = new OpenAI({
      baseURL: `${url}/v1`,
      apiKey: GATEWAY_KEY,
      maxRetries: 0,
      defaultHeaders: { traceparent: `00-${TRACE_ID}-${CALLER_SPAN}-01`, tracestate: 'caller=1' },
    });
    const messages = [{ role: 'user' as const, content: 'Say hello.' }];
    await client.chat.completions.create({ model: 'default', messages, max_tokens: 50, temperature: 0.2 });
    mock.script(PRIMARY, [{ kind: 'error', status: 502 }]);
    await client.chat.completions.create({ model: 'default', messages });
    const surprise = await client.chat.completions.create({ model: 'surprise', messages }).withResponse();
    const stream = await client.chat.completions.create({ model: 'default', messages, stream: true });
    for await (const _chunk of stream) {
      // drain
    }

    // The upstream calls carried the trace on (the mock logs request headers).
    const sent = mock.requests.map((request) => request.headers.traceparent ?? '');
    expect(sent).toHaveLength(5);
    for (const header of sent) expect(header).toMatch(new RegExp(`^00-${TRACE_ID}-[0-9a-f]{16}-01$`));
    expect(mock.requests[0]?.headers.tracestate).toBe('caller=1');

    await expect.poll(() => spansOf(receiver.received).length, { timeout: 15_000 }).toBeGreaterThanOrEqual(9);
    const spans = spansOf(receiver.received);
    for (const span of spans) expect(span.traceId).toBe(TRACE_ID);
    expect(spans[0]?.service).toBe('switchyard-under-test');
    const servers = spans.filter((span) => span.kind === 2);
    const clients = spans.filter((span) => span.kind === 3);
    expect(servers).toHaveLength(4);
    expect(clients).toHaveLength(5);
    for (const server of servers) {
      expect(server.name).toBe('POST /chat/completions');
      expect(server.parentSpanId).toBe(CALLER_SPAN);
    }
    // Each attempt's span is a child of its request's, and its id is the one sent upstream.
    const serverIds = new Set(servers.map((span) => span.spanId));
    for (const span of clients) expect(serverIds.has(span.parentSpanId ?? '')).toBe(true);
    expect(sent.map((header) => header.split('-')[2]).sort()).toEqual(
      clients.map((span) => span.spanId).sort(),
    );

    const first = attributesOf(
      clients.find((span) => attributesOf(span)['gen_ai.request.max_tokens'] === 50) as OtlpSpan,
    );
    expect(first).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'mock',
      'gen_ai.request.model': PRIMARY,
      'gen_ai.response.model': PRIMARY,
      'gen_ai.request.temperature': 0.2,
      'gen_ai.response.finish_reasons': [expect.any(String)],
      'gen_ai.response.id': expect.stringMatching(/^gen-/),
      'gen_ai.usage.input_tokens': expect.any(Number),
      'gen_ai.usage.output_tokens': expect.any(Number),
      'switchyard.target': 'primary',
      'switchyard.attempt.outcome': 'success',
      'switchyard.cost_usd': expect.stringMatching(/^\d/),
    });
    expect(first['gen_ai.input.messages']).toBeUndefined();
    const failed = clients.map(attributesOf).find((each) => each['switchyard.attempt.outcome'] !== 'success');
    expect(failed).toMatchObject({ 'error.type': 'upstream_unavailable', 'switchyard.target': 'primary' });
    const requests = servers.map(attributesOf);
    expect(requests.find((each) => each['switchyard.fallback'] === true)).toMatchObject({
      'switchyard.route': 'default',
      'switchyard.target': 'backup',
      'gen_ai.response.model': BACKUP,
      'switchyard.key': 'team-a',
      'http.response.status_code': 200,
    });
    expect(requests.find((each) => each['switchyard.route'] === 'surprise')).toMatchObject({
      'switchyard.route_surprise': true,
      'gen_ai.response.model': SERVED,
      'switchyard.cost_usd': surprise.response.headers.get('x-switchyard-cost'),
    });

    await expect
      .poll(() => metricNames(receiver.received), { timeout: 15_000 })
      .toEqual(
        expect.arrayContaining([
          'gen_ai.client.token.usage',
          'gen_ai.client.operation.duration',
          'gen_ai.client.operation.time_to_first_chunk',
        ]),
      );

    const scrape = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
    expect(scrape.status).toBe(200);
    const text = await scrape.text();
    const ok = (route: string, model: string) =>
      `switchyard_requests_total{route="${route}",model="${model}",provider="mock",status="200",code="success"}`;
    expect(seriesValue(text, ok('default', PRIMARY))).toBe(2);
    expect(seriesValue(text, ok('default', BACKUP))).toBe(1);
    expect(seriesValue(text, ok('surprise', ALIASED))).toBe(1);
    expect(
      seriesValue(text, 'switchyard_attempts_total{target="primary",outcome="upstream_unavailable"}'),
    ).toBe(1);
    expect(seriesValue(text, 'switchyard_attempts_total{target="primary",outcome="success"}')).toBe(2);
    expect(seriesValue(text, 'switchyard_fallbacks_total{route="default"}')).toBe(1);
    expect(
      seriesValue(
        text,
        `switchyard_route_surprises_total{route="surprise",expected="${ALIASED}",served="${SERVED}"}`,
      ),
    ).toBe(1);
    expect(
      seriesValue(text, `switchyard_cost_usd_total{route="surprise",model="${ALIASED}",key="team-a"}`),
    ).toBe(Number(surprise.response.headers.get('x-switchyard-cost')));
    expect(seriesValue(text, 'switchyard_request_duration_seconds_count{route="default"}')).toBe(3);
    expect(seriesValue(text, `switchyard_time_to_first_token_seconds_count{model="${PRIMARY}"}`)).toBe(1);
    expect(seriesValue(text, `switchyard_breaker_open{target="mock/${PRIMARY}"}`)).toBe(0);

    // No secret in spans, OTLP metrics or the exposition.
    const exported = receiver.received.map((each) => each.text).join('\n');
    for (const secret of [PROVIDER_KEY, GATEWAY_KEY, ADMIN_KEY]) {
      expect(exported).not.toContain(secret);
      expect(text).not.toContain(secret);
    }
  }, 60_000);

  it('refuses /metrics without the admin key, or with a wrong one', async () => {
    await started();
    const none = await fetch(`${url}/metrics`);
    expect(none.status).toBe(401);
    const wrong = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${GATEWAY_KEY}` } });
    expect(wrong.status).toBe(401);
    const body = await wrong.text();
    expect(JSON.parse(body).error.code).toBe('invalid_api_key');
    expect(body).not.toContain(GATEWAY_KEY);
  }, 60_000);
});
