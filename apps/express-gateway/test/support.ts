import type { CatalogModel, SwitchyardConfig } from '@switchyard/core';
import { createLogger } from '../src/create-logger.js';
import { type RunningGateway, startGateway } from '../src/start-gateway.js';

/** A gateway on a free port whose log lines are collected. */
export async function startLogged(options: {
  config: SwitchyardConfig;
  catalog?: readonly CatalogModel[];
  shutdownTimeoutMs?: number;
  adminKey?: string;
}): Promise<RunningGateway & { logs: string[] }> {
  const logs: string[] = [];
  const logger = createLogger({ destination: { write: (line: string) => void logs.push(line) } });
  const gateway = await startGateway({ ...options, logger, port: 0 });
  return Object.assign(gateway, { logs });
}
