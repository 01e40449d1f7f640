import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRouter } from '@switchyard/core';
import { createGateway, GatewayError, toOpenAIError } from '@switchyard/core/node';
import { defineGatewaySuite } from '../src/index.js';

// The suite against the shared Node bridge alone, on plain node:http: what every adapter wraps.
defineGatewaySuite({
  name: 'node:http (the bridge, no framework)',
  start: async ({ config }) => {
    const logs: string[] = [];
    const router = createRouter({ config });
    const gateway = createGateway({
      router,
      ...(config.keys === undefined ? {} : { keys: config.keys }),
      onRequest: (entry) => void logs.push(JSON.stringify(entry)),
    });
    const server = createServer((request, response) => {
      const path = request.url?.split('?')[0];
      if (request.method === 'POST' && path === '/v1/chat/completions')
        void gateway.chatCompletions(request, response);
      else if (request.method === 'GET' && path === '/v1/models') void gateway.models(request, response);
      else {
        const allow = path === '/v1/chat/completions' ? 'POST' : path === '/v1/models' ? 'GET' : undefined;
        const { status, headers, body } = toOpenAIError(
          allow === undefined
            ? new GatewayError({ status: 404, code: 'not_found', message: `no endpoint ${path}` })
            : new GatewayError({
                status: 405,
                code: 'method_not_allowed',
                message: `${request.method} ${path} is not allowed; use ${allow}`,
                headers: { allow },
              }),
        );
        response
          .writeHead(status, { 'content-type': 'application/json', ...headers })
          .end(JSON.stringify(body));
      }
    });
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
