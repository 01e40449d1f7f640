import { createServer as createHttpServer, IncomingMessage, type Server, ServerResponse } from 'node:http';
import type { Express } from 'express';

/**
 * The HTTP server of an Express app (what `app.listen` makes), with requests and responses born
 * with the app's prototypes.
 *
 * Why: Express gives every `req` and `res` its own prototypes (`Object.setPrototypeOf` in
 * `app.handle`), and in V8 an object that gains a property after its prototype changed gets a map
 * of its own: Express's router adds several, so no two requests share a shape, and every property
 * access on them in Node's HTTP code and in Express misses its inline cache. That cost about
 * 120 µs of CPU per request (apps/gateway-bench), as much as the whole gateway without Express.
 * Born with the prototypes in place, Express's swap changes nothing and the shapes are shared;
 * the objects, their methods and the app behave exactly as with `app.listen`.
 */
export function createServer(app: Express): Server {
  class ExpressRequest extends IncomingMessage {}
  class ExpressResponse extends ServerResponse {}
  Object.setPrototypeOf(ExpressRequest.prototype, app.request);
  Object.setPrototypeOf(ExpressResponse.prototype, app.response);
  // `app.handle` sets these as the prototypes: now the ones the objects already have.
  app.request = ExpressRequest.prototype as Express['request'];
  app.response = ExpressResponse.prototype as unknown as Express['response'];
  return createHttpServer({ IncomingMessage: ExpressRequest, ServerResponse: ExpressResponse }, app);
}
