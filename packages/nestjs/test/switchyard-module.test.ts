import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Controller, Injectable, Module, Post } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ConfigError, type Router } from '@switchyard/core';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import {
  InjectSwitchyard,
  SwitchyardModule,
  type SwitchyardModuleOptions,
  type SwitchyardOptionsFactory,
  SwitchyardService,
} from '../src/index.js';
import {
  ask,
  CATALOG,
  CHEAP,
  createApp,
  mockConfig,
  onCleanup,
  PREMIUM,
  startMock,
} from './support/nest-app.js';

/** A feature service that calls through the injected service and router. */
@Injectable()
class GreetingService {
  constructor(
    readonly switchyard: SwitchyardService,
    @InjectSwitchyard() readonly router: Router,
  ) {}

  async greet(): Promise<string> {
    const { response } = await this.switchyard.chat(ask('Say hello.', 'cheap'));
    return response.choices[0]?.message.content ?? '';
  }
}

/** Compiles a module importing `imports`, resolves GreetingService and asks it once. */
async function greetingThrough(imports: NonNullable<Parameters<typeof Module>[0]>['imports']) {
  const moduleRef = await Test.createTestingModule({ imports, providers: [GreetingService] }).compile();
  onCleanup(() => moduleRef.close());
  const greeting = moduleRef.get(GreetingService);
  expect(greeting.switchyard.router).toBe(greeting.router);
  return { greeting: await greeting.greet(), moduleRef };
}

describe('SwitchyardModule', () => {
  it('forRoot with a config object: the service and the router resolve and call the upstream', async () => {
    const mock = await startMock();
    const { greeting } = await greetingThrough([
      SwitchyardModule.forRoot({ config: mockConfig(mock.url), router: { catalog: CATALOG } }),
    ]);
    expect(greeting).toBe(`Mock reply from ${CHEAP}: you said "Say hello.".`);
    expect(mock.requests.map((entry) => entry.model)).toEqual([CHEAP]);
  });

  it('forRoot with the path of a YAML config file, ${NAME} interpolated from the environment', async () => {
    const mock = await startMock();
    const directory = await mkdtemp(join(tmpdir(), 'switchyard-nest-'));
    const file = join(directory, 'switchyard.yaml');
    process.env.SWITCHYARD_NEST_TEST_URL = mock.url;
    onCleanup(async () => {
      delete process.env.SWITCHYARD_NEST_TEST_URL;
    });
    const config = mockConfig('${SWITCHYARD_NEST_TEST_URL}');
    await writeFile(file, JSON.stringify(config)); // JSON is YAML
    const { greeting, moduleRef } = await greetingThrough([SwitchyardModule.forRoot({ config: file })]);
    expect(greeting).toContain(`Mock reply from ${CHEAP}`);
    expect(moduleRef.get(SwitchyardService).config.providers.mock?.baseURL).toBe(mock.url);
  });

  it('forRootAsync with useFactory, inject and imports', async () => {
    const mock = await startMock();
    const UPSTREAM_URL = Symbol('upstream url');
    @Module({ providers: [{ provide: UPSTREAM_URL, useValue: mock.url }], exports: [UPSTREAM_URL] })
    class SettingsModule {}

    const { greeting } = await greetingThrough([
      SwitchyardModule.forRootAsync({
        imports: [SettingsModule],
        inject: [UPSTREAM_URL],
        useFactory: async (url: string): Promise<SwitchyardModuleOptions> => ({ config: mockConfig(url) }),
      }),
    ]);
    expect(greeting).toContain(`Mock reply from ${CHEAP}`);
  });

  it('forRootAsync with useClass and with useExisting', async () => {
    const mock = await startMock();

    @Injectable()
    class Settings implements SwitchyardOptionsFactory {
      createSwitchyardOptions(): SwitchyardModuleOptions {
        return { config: mockConfig(mock.url) };
      }
    }
    @Module({ providers: [Settings], exports: [Settings] })
    class SettingsModule {}

    const byClass = await greetingThrough([SwitchyardModule.forRootAsync({ useClass: Settings })]);
    expect(byClass.greeting).toContain(`Mock reply from ${CHEAP}`);

    const byExisting = await greetingThrough([
      SwitchyardModule.forRootAsync({ imports: [SettingsModule], useExisting: Settings }),
    ]);
    expect(byExisting.greeting).toContain(`Mock reply from ${CHEAP}`);
    // Two modules, two routers.
    expect(byClass.moduleRef.get(SwitchyardService).router).not.toBe(
      byExisting.moduleRef.get(SwitchyardService).router,
    );
  });

  it('isGlobal: feature modules inject the service without importing the module', async () => {
    const mock = await startMock();
    mock.setReply(PREMIUM, 'Hello from a feature module.');

    @Controller('feature')
    class FeatureController {
      constructor(private readonly switchyard: SwitchyardService) {}

      @Post()
      async ask(): Promise<{ text: string | null | undefined }> {
        const { response } = await this.switchyard.chat(ask('Hi.', 'premium'));
        return { text: response.choices[0]?.message.content };
      }
    }
    @Module({ controllers: [FeatureController] })
    class FeatureModule {}

    const app = await createApp({
      imports: [SwitchyardModule.forRoot({ config: mockConfig(mock.url), isGlobal: true }), FeatureModule],
    });
    const answer = await request(app.getHttpServer()).post('/feature').expect(201);
    expect(answer.body).toEqual({ text: 'Hello from a feature module.' });
    expect(answer.headers['x-switchyard-model']).toBe(PREMIUM);
  });

  it('without isGlobal, a module that does not import it cannot inject the service', async () => {
    const mock = await startMock();
    @Injectable()
    class Lonely {
      constructor(readonly switchyard: SwitchyardService) {}
    }
    @Module({ providers: [Lonely] })
    class LonelyModule {}

    await expect(
      Test.createTestingModule({
        imports: [SwitchyardModule.forRoot({ config: mockConfig(mock.url) }), LonelyModule],
      }).compile(),
    ).rejects.toThrow(/SwitchyardService/);
  });

  it('fails at start-up with a ConfigError naming the problem and its path', async () => {
    const failure = await Test.createTestingModule({
      imports: [
        SwitchyardModule.forRoot({
          config: {
            ...mockConfig('http://127.0.0.1:9/api/v1'),
            routes: { default: { strategy: 'fallback', targets: ['nope'] } },
          },
        }),
      ],
    })
      .compile()
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(failure).toBeInstanceOf(ConfigError);
    const { message } = failure as ConfigError;
    expect(message).toContain('routes.default');
    expect(message).toContain('"nope"');
  });
});
