import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SwitchyardConfig } from '@switchyard/core';
import { createRouter } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import { OPENROUTER_BASE_URL } from '../src/openrouter-default.js';
import { resolveAddress, resolveStartup } from '../src/resolve-startup.js';
import { curlSnippet, snippetModel, startBanner } from '../src/start-banner.js';

describe('resolveStartup: environment → configuration', () => {
  it('routes to OpenRouter with its 5.5% fee when OPENROUTER_API_KEY is set and no config file is', async () => {
    const startup = await resolveStartup({ OPENROUTER_API_KEY: 'sk-or-v1-real-looking-key-42' });
    expect(startup.source).toBe('openrouter');
    expect(startup.config.providers.openrouter).toMatchObject({
      baseURL: OPENROUTER_BASE_URL,
      apiKey: 'sk-or-v1-real-looking-key-42',
      fee: { percent: '5.5' },
    });
    expect(startup.config.keys).toBeUndefined();
    const router = createRouter({ config: startup.config });
    const routes = router.describe().filter((entry) => entry.kind === 'route');
    expect(routes.map((route) => [route.id, route.strategy])).toEqual([
      ['default', 'fallback'],
      ['smart', 'cascade'],
      ['thrifty', 'cheapest'],
    ]);
    // Every alias is priced from the bundled catalog, so budgets and ceilings work from the start.
    const aliases = router.describe().filter((entry) => entry.kind === 'model');
    expect(aliases.every((alias) => alias.pricing !== undefined && alias.contextLength !== undefined)).toBe(
      true,
    );
    const banner = startBanner({
      url: 'http://127.0.0.1:8787',
      description: startup.description,
      key: startup.snippetKey,
      model: startup.snippetModel,
      open: true,
      models: routes.map((route) => route.id),
    });
    expect(banner).toContain('WARNING: this gateway is OPEN');
    expect(banner).not.toContain('sk-or-v1-real-looking-key-42');
    await router.close();
  });

  it('prefers SWITCHYARD_CONFIG over OPENROUTER_API_KEY', async () => {
    await expect(
      resolveStartup({ SWITCHYARD_CONFIG: '/nowhere/switchyard.yaml', OPENROUTER_API_KEY: 'sk-or-x' }),
    ).rejects.toThrow('Invalid Switchyard configuration in /nowhere/switchyard.yaml:\n  file not found');
  });

  it('reads PORT and HOST, with 127.0.0.1:8787 by default', () => {
    expect(resolveAddress({})).toEqual({ port: 8787, host: '127.0.0.1' });
    expect(resolveAddress({ PORT: '9000', HOST: '0.0.0.0' })).toEqual({ port: 9000, host: '0.0.0.0' });
    expect(() => resolveAddress({ PORT: '70000' })).toThrow('PORT must be an integer from 0 to 65535');
  });
});

describe('snippetModel: what the banner asks', () => {
  const providers = { local: { baseURL: 'http://127.0.0.1:9/v1' } };
  const route = { strategy: 'fallback' as const, targets: ['mini'] };
  const models = { mini: { provider: 'local', model: 'openai/gpt-4o-mini' } };
  const config = (extra: Partial<SwitchyardConfig>): SwitchyardConfig => ({ providers, ...extra });

  it('names `default` when there is one, else the first route, else the first alias', () => {
    expect(snippetModel(config({ models, routes: { fast: route, default: route } }))).toBe('default');
    expect(snippetModel(config({ models, routes: { fast: route, chat: route } }))).toBe('fast');
    expect(snippetModel(config({ models }))).toBe('mini');
  });

  it('prefers what the first key may use, and shows a placeholder when the config names nothing', () => {
    const keys = [{ name: 'team', key: 'sk-team-key-0001', routes: ['chat'] }];
    expect(snippetModel(config({ models, routes: { default: route, chat: route }, keys }))).toBe('chat');
    const raw = [{ name: 'team', key: 'sk-team-key-0001', routes: ['openai/gpt-4o-mini'] }];
    expect(snippetModel(config({ keys: raw }))).toBe('openai/gpt-4o-mini');
    expect(snippetModel(config({}))).toBeUndefined();
    expect(curlSnippet({ url: 'http://127.0.0.1:8787', key: 'anything', model: undefined })).toContain(
      '"model":"<a model id of your provider>"',
    );
  });

  it("sends /summarize to `smart` when the config has it, else to the snippets' model", async () => {
    const directory = await mkdtemp(join(tmpdir(), 'switchyard-startup-'));
    const file = join(directory, 'switchyard.yaml');
    await writeFile(
      file,
      'providers:\n  local: { baseURL: "http://127.0.0.1:9/v1" }\nroutes:\n  chat: { strategy: fallback, targets: [openai/gpt-4o-mini] }\n',
    );
    const startup = await resolveStartup({ SWITCHYARD_CONFIG: file });
    expect(startup).toMatchObject({ snippetModel: 'chat', summarizeModel: 'chat' });
    const embedded = await resolveStartup({});
    expect(embedded).toMatchObject({ snippetModel: 'default', summarizeModel: 'smart' });
    await embedded.close();
  });
});
