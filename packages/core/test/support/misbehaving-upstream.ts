import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';

/** What a misbehaving upstream was asked, and how its answer ended. */
export interface UpstreamCall {
  model: string;
  stream: boolean;
  /** The request's `Authorization` header, as sent. */
  authorization: string | undefined;
  /** Bytes of answer body `pump` wrote so far. */
  written: number;
  /** Resolves once the answer's connection closed: `finished` false when the client cut it first. */
  closed: Promise<{ finished: boolean }>;
}

/** Answers one request; `call` tells it what was asked. */
export type Behaviour = (response: ServerResponse, call: UpstreamCall) => void;

/** A loopback HTTP server that answers chat completions as the test says, badly on purpose. */
export interface MisbehavingUpstream {
  /** Base URL with the `/v1` prefix. */
  baseURL: string;
  calls: UpstreamCall[];
}

const open: Array<() => Promise<void>> = [];

afterEach(async () => {
  await Promise.allSettled(open.splice(0).map((close) => close()));
});

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/** Starts an upstream whose answer to each model is `behaviours[model]` (a 404 for others). */
export async function startMisbehavingUpstream(
  behaviours: Record<string, Behaviour>,
): Promise<MisbehavingUpstream> {
  const calls: UpstreamCall[] = [];
  const server = createServer((request, response) => {
    void readBody(request).then((text) => {
      const body = JSON.parse(text) as { model: string; stream?: boolean };
      const call: UpstreamCall = {
        model: body.model,
        stream: body.stream === true,
        authorization: request.headers.authorization,
        written: 0,
        closed: new Promise((resolve) => {
          response.on('close', () => resolve({ finished: response.writableFinished }));
        }),
      };
      calls.push(call);
      const behaviour = behaviours[body.model];
      if (behaviour === undefined)
        response.writeHead(404).end('{"error":{"code":404,"message":"no such model"}}');
      else behaviour(response, call);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  open.push(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  return { baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, calls };
}

/**
 * Writes what `next` gives until it gives undefined or the client leaves, waiting for `drain`
 * when the socket is full; then ends the answer.
 */
export function pump(
  response: ServerResponse,
  call: UpstreamCall,
  next: () => string | Buffer | undefined,
): void {
  const step = (): void => {
    for (;;) {
      if (response.destroyed) return;
      const chunk = next();
      if (chunk === undefined) {
        response.end();
        return;
      }
      call.written += Buffer.byteLength(chunk);
      if (!response.write(chunk)) {
        response.once('drain', step);
        return;
      }
    }
  };
  step();
}

/** An SSE `data:` event of one content delta, as OpenAI-compatible upstreams stream it. */
export function contentEvent(content: string, model = 'test/model'): string {
  const chunk = {
    id: 'gen-misbehaving',
    object: 'chat.completion.chunk',
    created: 1_763_157_299,
    model,
    choices: [{ index: 0, delta: { role: 'assistant', content }, finish_reason: null }],
  };
  return `data: ${JSON.stringify(chunk)}\n\n`;
}

/** A whole chat completion answering `content`. */
export function completion(content: string, model = 'test/model'): string {
  return JSON.stringify({
    id: 'gen-misbehaving',
    object: 'chat.completion',
    created: 1_763_157_299,
    model,
    choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content } }],
    usage: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 },
  });
}
