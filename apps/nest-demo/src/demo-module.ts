import {
  type DynamicModule,
  Inject,
  type MiddlewareConsumer,
  Module,
  type NestModule,
  RequestMethod,
} from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import type { SwitchyardConfig } from '@switchyard/core';
import { createOpenAIController, SwitchyardModule, type SwitchyardModuleOptions } from '@switchyard/nestjs';
import { SwitchyardHealthIndicator } from '@switchyard/nestjs/terminus';
import { storeFromConfig } from '@switchyard/redis';
import type { Logger } from 'pino';
import { DEMO_SOURCE, type DemoSource, EmbeddedUpstreamCloser, resolveDemoSource } from './demo-source.js';
import { HandlerRecorder } from './handler-recorder.js';
import { HealthController } from './health-controller.js';
import { identifyByKey } from './identify-by-key.js';
import { jsonBody } from './json-body.js';
import { requestLogger } from './request-logger.js';
import { SummarizeController } from './summarize-controller.js';

/** Options of {@link DemoModule.register}. */
export interface DemoModuleOptions {
  /** A configuration, the path of a config file, or nothing for the embedded default. */
  config?: SwitchyardConfig | string;
  logger: Logger;
}

const DEMO_LOGGER = Symbol('demo logger');

/** The route `POST /summarize` calls (its `@UseRoute()`); the caller's key must be allowed it. */
const SUMMARIZE_ROUTE = 'smart';

/** The Switchyard options of the demo, from its configuration. */
function switchyardOptions(input: { source: DemoSource; logger: Logger }): SwitchyardModuleOptions {
  const { source, logger } = input;
  const { identify, budgets } = identifyByKey({ keys: source.config.keys, route: SUMMARIZE_ROUTE });
  // `store: { type: redis }` shares budgets, limits, breakers and the ledger with other replicas.
  const store = storeFromConfig(source.config, {
    log: (level, message) => logger[level]({ store: 'redis' }, message),
  });
  return {
    config: source.config,
    ...(store === undefined ? {} : { router: { store } }),
    identify,
    budgets,
    gateway: { onRequest: (entry) => logger.info(entry, 'request') },
  };
}

/**
 * The demo service: `SwitchyardModule.forRootAsync` from the configuration (the embedded default,
 * a config file, or a given config), `POST /summarize`, the OpenAI-compatible endpoints at `/v1`,
 * and a Terminus `GET /health`; one log line per request.
 */
@Module({})
export class DemoModule implements NestModule {
  constructor(@Inject(DEMO_LOGGER) private readonly logger: Logger) {}

  static register(options: DemoModuleOptions): DynamicModule {
    // One module object, imported twice, is one instance: the source is resolved once.
    const source: DynamicModule = {
      module: class DemoSourceModule {},
      providers: [
        { provide: DEMO_SOURCE, useFactory: () => resolveDemoSource(options.config) },
        EmbeddedUpstreamCloser,
      ],
      exports: [DEMO_SOURCE],
    };
    return {
      module: DemoModule,
      imports: [
        source,
        TerminusModule.forRoot({ logger: false }),
        SwitchyardModule.forRootAsync({
          imports: [source],
          inject: [DEMO_SOURCE],
          useFactory: (resolved: DemoSource) =>
            switchyardOptions({ source: resolved, logger: options.logger }),
        }),
      ],
      controllers: [SummarizeController, HealthController, createOpenAIController()],
      providers: [
        SwitchyardHealthIndicator,
        { provide: DEMO_LOGGER, useValue: options.logger },
        { provide: APP_INTERCEPTOR, useClass: HandlerRecorder },
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(requestLogger({ logger: this.logger, skip: '/v1/' })).forRoutes('*path');
    consumer
      .apply(jsonBody({ limitBytes: 64 * 1024 }))
      .forRoutes({ path: 'summarize', method: RequestMethod.POST });
  }
}
