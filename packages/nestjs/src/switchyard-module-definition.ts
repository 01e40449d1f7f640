import { ConfigurableModuleBuilder } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { SwitchyardExceptionFilter } from './switchyard-exception-filter.js';
import type { SwitchyardModuleOptions } from './switchyard-module-options.js';

/** Options of `SwitchyardModule` that shape the module itself rather than the router. */
export interface SwitchyardModuleExtras {
  /**
   * Make `SwitchyardService` and the router injectable in every module, without importing.
   * @default false
   */
  isGlobal: boolean;
  /**
   * Register `SwitchyardExceptionFilter` for the whole app (Switchyard errors only; other errors
   * keep their usual handling). `false`: apply it yourself with `@UseFilters()`.
   * @default true
   */
  errorFilter: boolean;
}

const definition = new ConfigurableModuleBuilder<SwitchyardModuleOptions>({ moduleName: 'Switchyard' })
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createSwitchyardOptions')
  .setExtras<SwitchyardModuleExtras>({ isGlobal: false, errorFilter: true }, (dynamicModule, extras) => ({
    ...dynamicModule,
    global: extras.isGlobal,
    providers: [
      ...(dynamicModule.providers ?? []),
      ...(extras.errorFilter ? [{ provide: APP_FILTER, useClass: SwitchyardExceptionFilter }] : []),
    ],
  }))
  .build();

/** The base class of `SwitchyardModule`: its `forRoot()` and `forRootAsync()`. */
export const SwitchyardConfigurableModule = definition.ConfigurableModuleClass;

/** Injection token of the module's options, as given to `forRoot()` or made by `forRootAsync()`. */
export const SWITCHYARD_MODULE_OPTIONS = definition.MODULE_OPTIONS_TOKEN;

/** What `SwitchyardModule.forRoot()` takes: the module options plus `isGlobal` and `errorFilter`. */
export type SwitchyardModuleForRootOptions = typeof definition.OPTIONS_TYPE;

/**
 * What `SwitchyardModule.forRootAsync()` takes: `imports`, and `useFactory` + `inject`, `useClass`
 * or `useExisting` (a class with `createSwitchyardOptions()`), plus `isGlobal` and `errorFilter`.
 */
export type SwitchyardModuleAsyncOptions = typeof definition.ASYNC_OPTIONS_TYPE;
