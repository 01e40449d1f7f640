import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { SwitchyardInterceptor } from './switchyard-interceptor.js';
import { SWITCHYARD_MODULE_OPTIONS, SwitchyardConfigurableModule } from './switchyard-module-definition.js';
import type { SwitchyardModuleOptions } from './switchyard-module-options.js';
import { SwitchyardService } from './switchyard-service.js';
import { createSwitchyardState, type SwitchyardState } from './switchyard-state.js';
import { SWITCHYARD_ROUTER, SWITCHYARD_STATE } from './switchyard-tokens.js';

/**
 * Switchyard for Nest: configure once, inject `SwitchyardService` (or the router with
 * `@InjectSwitchyard()`) anywhere, declare policies per route with `@UseRoute()` and
 * `@LlmBudget()`. Registers `SwitchyardInterceptor` and (unless `errorFilter: false`)
 * `SwitchyardExceptionFilter` for the app, and closes the router when the app shuts down.
 * @example
 * @Module({
 *   imports: [
 *     SwitchyardModule.forRootAsync({
 *       isGlobal: true,
 *       inject: [ConfigService],
 *       useFactory: (env: ConfigService) => ({ config: env.getOrThrow('SWITCHYARD_CONFIG') }),
 *     }),
 *   ],
 * })
 * export class AppModule {}
 */
@Module({
  providers: [
    {
      provide: SWITCHYARD_STATE,
      inject: [SWITCHYARD_MODULE_OPTIONS],
      useFactory: (options: SwitchyardModuleOptions) => createSwitchyardState(options),
    },
    {
      provide: SWITCHYARD_ROUTER,
      inject: [SWITCHYARD_STATE],
      useFactory: (state: SwitchyardState) => state.router,
    },
    SwitchyardService,
    { provide: APP_INTERCEPTOR, useClass: SwitchyardInterceptor },
  ],
  exports: [SwitchyardService, SWITCHYARD_ROUTER, SWITCHYARD_STATE],
})
export class SwitchyardModule extends SwitchyardConfigurableModule implements OnApplicationShutdown {
  constructor(@Inject(SWITCHYARD_STATE) private readonly state: SwitchyardState) {
    super();
  }

  /** Closes the router's connection pools (and timers) once the app stops taking requests. */
  async onApplicationShutdown(): Promise<void> {
    await this.state.router.close();
  }
}
