import type { SwitchyardConfig } from '@switchyard/core';
import { demoConfig as gatewayDemoConfig } from '@switchyard/demo-kit';

export { CHEAP_MODEL, PREMIUM_MODEL } from '@switchyard/demo-kit';

/**
 * The demos' embedded default against a mock upstream at `mockUrl` (OpenRouter's wire and its
 * 5.5% fee, `default`: premium then cheap, `smart`: cheap then premium), called in-process: no
 * gateway keys, and `smart` without the gateways' JSON validator, because here LangChain's
 * structured output validates, and the agent's final text step runs on `smart` too.
 */
export function demoConfig(mockUrl: string): SwitchyardConfig {
  const { keys: _keys, ...shared } = gatewayDemoConfig(mockUrl);
  return {
    ...shared,
    routes: { ...shared.routes, smart: { strategy: 'cascade', targets: ['cheap', 'premium'] } },
    retry: { maxAttempts: 2, baseDelayMs: 50 },
  };
}
