import { defineGatewaySuite } from '@switchyard/gateway-suite';
import { startLogged } from './support.js';

defineGatewaySuite({
  name: 'express',
  start: async ({ config }) => {
    const gateway = await startLogged({ config });
    return { url: `${gateway.url}/v1`, close: () => gateway.close(), logs: gateway.logs };
  },
});
