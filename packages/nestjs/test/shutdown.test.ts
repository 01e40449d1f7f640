import { createUndiciTransport, type Transport } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import { SwitchyardModule, SwitchyardService } from '../src/index.js';
import { ask, buildApp, CHEAP, mockConfig, startMock } from './support/nest-app.js';

/** The default transport, counting how often it was closed. */
function countingTransport(): Transport & { closed: number } {
  const undici = createUndiciTransport();
  const transport = {
    closed: 0,
    send: (request: Parameters<Transport['send']>[0]) => undici.send(request),
    async close() {
      transport.closed += 1;
      await undici.close();
    },
  };
  return transport;
}

describe('application shutdown', () => {
  it("closes the router's connection pools when the app closes", async () => {
    const mock = await startMock();
    const transport = countingTransport();
    const app = await buildApp({
      imports: [SwitchyardModule.forRoot({ config: mockConfig(mock.url), router: { transport } })],
    });
    const { trace } = await app.get(SwitchyardService).chat(ask('Hi.', 'cheap'));
    expect(trace.served?.returnedModel).toBe(CHEAP);
    expect(transport.closed).toBe(0);

    await app.close();
    expect(transport.closed).toBe(1);
  });

  it('closes with forRootAsync too', async () => {
    const mock = await startMock();
    const transport = countingTransport();
    const app = await buildApp({
      imports: [
        SwitchyardModule.forRootAsync({
          useFactory: async () => ({ config: mockConfig(mock.url), router: { transport } }),
        }),
      ],
    });
    await app.close();
    expect(transport.closed).toBe(1);
  });
});
