import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRouter } from '@switchyard/core';
import { applyServerLimits, createGateway, notFoundError, renderError } from '@switchyard/core/node';
import { defineGatewaySuite, logCutsTo } from '../src/index.js';

// The suite against the shared Node bridge alone, on plain node:http: what every adapter wraps.
defineGatewaySuite({
  name: 'node:http (the bridge, no framework)',
  start: async ({ config }) => {
    const logs: string[] = [];
    const router = createRouter({ config });
    const gateway = createGateway({
      router,
      ...(config.keys === undefined ? {} : { keys: config.keys }),
      ...(config.cors === undefined ? {} : { cors: config.cors }),
      ...(config.requestLimits === undefined ? {} : { requestLimits: config.requestLimits }),
      onRequest: (entry) => void logs.push(JSON.stringify(entry)),
    });
    const server = createServer(async (request, response) => {
      const path = request.url?.split('?')[0] ?? '';
      if (path.startsWith('/v1/') && (await gateway.handle(request, response, path.slice('/v1'.length))))
        return;
      renderError(response, notFoundError({ method: request.method ?? '', path }));
    });
    applyServerLimits(server, config.server, logCutsTo(logs));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
      logs,
      close: async () => {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await router.close();
      },
    };
  },
});
