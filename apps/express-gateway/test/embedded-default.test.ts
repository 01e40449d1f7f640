import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { formatUsd, parseUsd, percentOf } from '@switchyard/core';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_KEY, startEmbeddedDefault } from '../src/embedded-default.js';
import { curlSnippet, sdkSnippet, snippetModel, startBanner } from '../src/start-banner.js';
import { startLogged } from './support.js';

const run = promisify(execFile);
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startDemo() {
  const embedded = await startEmbeddedDefault();
  const gateway = await startLogged({ config: embedded.config, catalog: embedded.catalog });
  cleanups.push(
    () => embedded.mock.close(),
    () => gateway.close(),
  );
  return { embedded, gateway };
}

/** The URL, headers and body of a printed `curl -i URL -H '...' -d '...'` command. */
function parseCurl(command: string): { url: string; headers: Record<string, string>; body: string } {
  const url = /curl(?: -i)? (\S+)/.exec(command)?.[1] as string;
  const headers: Record<string, string> = {};
  for (const [, name, value] of command.matchAll(/-H '([^:]+): ([^']*)'/g))
    headers[name as string] = value as string;
  const body = /-d '([^']*)'/.exec(command)?.[1] as string;
  return { url, headers, body };
}

describe('the embedded default', () => {
  it('starts on the mock with the demo key, and the printed curl works', async () => {
    const { gateway, embedded } = await startDemo();
    const model = snippetModel(embedded.config);
    expect(model).toBe('default');
    const banner = startBanner({
      url: gateway.url,
      description: 'the embedded default',
      key: DEMO_KEY,
      model,
      open: gateway.open,
      models: gateway.router.describe().map((entry) => entry.id),
    });
    expect(gateway.open).toBe(false);
    expect(banner).not.toContain('OPEN');
    expect(banner).toContain(`OpenAI base URL: ${gateway.url}/v1`);
    expect(banner).toContain(
      'models:          default, smart, thrifty, embed, cheap, fast, premium, embedder, embedder-backup',
    );

    const curl = parseCurl(curlSnippet({ url: gateway.url, key: DEMO_KEY, model }));
    expect(banner).toContain(curlSnippet({ url: gateway.url, key: DEMO_KEY, model }));
    const response = await fetch(curl.url, { method: 'POST', headers: curl.headers, body: curl.body });
    expect(response.status).toBe(200);
    const answer = (await response.json()) as { choices: Array<{ message: { content: string } }> };
    expect(answer.choices[0]?.message.content).toContain('you said "Hello!"');
    expect(response.headers.get('x-switchyard-route')).toBe('default');
    expect(Number(response.headers.get('x-switchyard-cost'))).toBeGreaterThan(0);
  });

  it('prints an openai SDK snippet that runs as pasted', async () => {
    const { gateway } = await startDemo();
    const snippet = sdkSnippet({ url: gateway.url, key: DEMO_KEY, model: 'default' });
    // Run from this package, where `openai` resolves, as an ES module like the user's file.
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', snippet], {
      cwd: new URL('..', import.meta.url).pathname,
    });
    const [content, trace] = stdout.trim().split('\n');
    expect(content).toContain('you said "Hello!"');
    expect(trace).toMatch(/^(anthropic\/claude-sonnet-4\.6|openai\/gpt-4o-mini) 0\.\d+$/);
  });

  it('shows fallback: the premium model fails one time in four and the backup provider serves', async () => {
    const { gateway } = await startDemo();
    const served = new Set<string>();
    for (let index = 0; index < 12; index += 1) {
      const response = await fetch(`${gateway.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${DEMO_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'default', messages: [{ role: 'user', content: `Hi ${index}` }] }),
      });
      expect(response.status).toBe(200);
      served.add(
        `${response.headers.get('x-switchyard-provider')} ${response.headers.get('x-switchyard-fallback')}`,
      );
    }
    expect(served).toEqual(new Set(['openrouter false', 'backup true']));
  });

  it('embeds on the embed route with the openai SDK, priced at the catalog prompt price', async () => {
    const { gateway, embedded } = await startDemo();
    const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: DEMO_KEY, maxRetries: 0 });
    const { data, response } = await client.embeddings
      .create({ model: 'embed', input: ['The meeting moved to Tuesday.', 'Alice presents the budget.'] })
      .withResponse();
    expect(data.data.map((item) => item.embedding.length)).toEqual([1536, 1536]);
    expect(data.model).toBe('openai/text-embedding-3-small');
    const price = embedded.catalog.find((model) => model.id === data.model)?.pricing?.prompt as string;
    // The openrouter provider's 5.5% fee comes on top of the token price.
    const tokenCost = BigInt(data.usage.prompt_tokens) * parseUsd(price);
    expect(response.headers.get('x-switchyard-cost')).toBe(
      formatUsd(tokenCost + percentOf(tokenCost, '5.5')),
    );
    expect(response.headers.get('x-switchyard-provider')).toBe('openrouter');
    const refused = await client.embeddings.create({ model: 'default', input: 'x' }).catch((error) => error);
    expect(refused).toMatchObject({ status: 400, code: 'invalid_request' });
  });

  it("answers tools with a tool call and json_schema with the schema's shape on the banner's model", async () => {
    const { gateway } = await startDemo();
    const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: DEMO_KEY, maxRetries: 0 });
    // Eight tries: the premium model fails one time in four, and the backup must answer alike.
    const served = new Set<string>();
    for (let index = 0; index < 8; index += 1) {
      const { data, response } = await client.chat.completions
        .create({
          model: 'default',
          messages: [{ role: 'user', content: `What is the weather in Lisbon? (${index})` }],
          tools: [
            {
              type: 'function',
              function: {
                name: 'get_weather',
                description: 'Current weather for a city',
                parameters: {
                  type: 'object',
                  properties: {
                    city: { type: 'string' },
                    unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
                  },
                  required: ['city', 'unit'],
                },
              },
            },
          ],
        })
        .withResponse();
      served.add(response.headers.get('x-switchyard-model') as string);
      const choice = data.choices[0];
      expect(choice?.finish_reason).toBe('tool_calls');
      const call = choice?.message.tool_calls?.[0];
      if (call?.type !== 'function') throw new Error(`expected a tool call, got ${JSON.stringify(choice)}`);
      expect(call.function.name).toBe('get_weather');
      expect(JSON.parse(call.function.arguments)).toEqual({ city: 'example', unit: 'celsius' });
    }
    expect(served.has('anthropic/claude-sonnet-4.6')).toBe(true);

    const city = await client.chat.completions.create({
      model: 'default',
      messages: [{ role: 'user', content: 'Describe Lisbon.' }],
      response_format: {
        type: 'json_schema',
        json_schema: {
          name: 'city',
          strict: true,
          schema: {
            type: 'object',
            properties: {
              name: { type: 'string' },
              population: { type: 'integer' },
              coastal: { type: 'boolean' },
            },
            required: ['name', 'population', 'coastal'],
            additionalProperties: false,
          },
        },
      },
    });
    expect(JSON.parse(city.choices[0]?.message.content ?? '')).toEqual({
      name: 'example',
      population: 1,
      coastal: true,
    });

    // Asked for JSON of no given shape, the premium model still answers the summary `/summarize` expects.
    const summary = await fetch(`${gateway.url}/summarize`, {
      method: 'POST',
      headers: { authorization: `Bearer ${DEMO_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'The meeting moved to Tuesday. Alice presents the budget.' }),
    });
    expect(summary.status).toBe(200);
    expect(await summary.json()).toMatchObject({ title: expect.any(String), summary: expect.any(String) });
  });
});
