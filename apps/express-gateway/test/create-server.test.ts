import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { createServer } from '../src/create-server.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

describe('createServer(): an Express app served with its prototypes in place', () => {
  it('behaves as app.listen: Express request and response helpers, errors, 404s', async () => {
    const app = express();
    let sameAsExpress = false;
    app.get('/hello', (request, response) => {
      // Express's own swap (`app.handle`) had nothing to change.
      sameAsExpress =
        Object.getPrototypeOf(request) === app.request && Object.getPrototypeOf(response) === app.response;
      response
        .status(201)
        .set('x-test', request.get('x-name') ?? '')
        .json({ app: request.app === app });
    });
    app.get('/broken', () => {
      throw new Error('boom');
    });
    const server = createServer(app).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    closers.push(() => new Promise((resolve) => server.close(() => resolve())));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const hello = await fetch(`${url}/hello`, { headers: { 'x-name': 'ada' } });
    expect([hello.status, hello.headers.get('x-test'), await hello.json()]).toEqual([
      201,
      'ada',
      { app: true },
    ]);
    expect(sameAsExpress).toBe(true);
    expect((await fetch(`${url}/broken`)).status).toBe(500);
    expect((await fetch(`${url}/nowhere`)).status).toBe(404);
  });
});
