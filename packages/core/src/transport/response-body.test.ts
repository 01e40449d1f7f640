import type { Dispatcher } from 'undici';
import { describe, expect, it } from 'vitest';
import { ResponseBody } from './response-body.js';
import { ResponseTooLarge } from './response-too-large.js';

const KIB = 1024;

/**
 * A stand-in for undici's DispatchController (the transport's boundary object): it records
 * what the body asks of the socket.
 */
class FakeController implements Dispatcher.DispatchController {
  paused = false;
  aborted = false;
  reason: Error | null = null;
  readonly calls: string[] = [];

  pause(): void {
    this.calls.push('pause');
    this.paused = true;
  }

  resume(): void {
    this.calls.push('resume');
    this.paused = false;
  }

  abort(reason: Error): void {
    this.calls.push('abort');
    this.aborted = true;
    this.reason = reason;
  }
}

const setup = () => {
  const controller = new FakeController();
  return { controller, body: new ResponseBody(controller) };
};

const bytes = (size: number, fill = 0x61): Buffer => Buffer.alloc(size, fill);

/** Lets pending promise callbacks run (no timers: only the microtask and I/O queues). */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('ResponseBody.text', () => {
  it('reads a body of one chunk', async () => {
    const { body } = setup();
    body.push(Buffer.from('{"ok":true}'));
    body.end();
    expect(await body.text()).toBe('{"ok":true}');
  });

  it('reads an empty body', async () => {
    const { body } = setup();
    body.end();
    expect(await body.text()).toBe('');
  });

  it('joins many chunks, arriving while it waits, in order', async () => {
    const { body } = setup();
    const text = body.text();
    body.push(Buffer.from('{"choices":'));
    await settle();
    body.push(Buffer.from('[{"index":0}'));
    body.push(Buffer.from(']}'));
    await settle();
    body.end();
    expect(await text).toBe('{"choices":[{"index":0}]}');
  });

  it('keeps a multi-byte UTF-8 character split across chunks whole', async () => {
    const { body } = setup();
    const encoded = Buffer.from('prix: 12 € — ok 🙂', 'utf8');
    const euro = encoded.indexOf(0xe2);
    const emoji = encoded.indexOf(0xf0);
    body.push(encoded.subarray(0, euro + 1));
    body.push(encoded.subarray(euro + 1, emoji + 2));
    body.push(encoded.subarray(emoji + 2));
    body.end();
    expect(await body.text()).toBe('prix: 12 € — ok 🙂');
  });

  it('rejects with the failure when the body fails before its end', async () => {
    const { body } = setup();
    const text = body.text();
    body.push(Buffer.from('{"partial":'));
    await settle();
    const reset = new Error('socket hang up');
    body.fail(reset);
    await expect(text).rejects.toBe(reset);
  });

  it('rejects when the failure came before text() was called', async () => {
    const { body } = setup();
    body.push(Buffer.from('{"partial":'));
    const reset = new Error('other side closed');
    body.fail(reset);
    await expect(body.text()).rejects.toBe(reset);
  });

  it('collects a large body without pausing the socket, resuming one paused before', async () => {
    const { body, controller } = setup();
    body.push(bytes(300 * KIB));
    expect(controller.paused).toBe(true);
    const text = body.text();
    expect(controller.paused).toBe(false);
    body.push(bytes(300 * KIB));
    body.push(bytes(300 * KIB));
    body.end();
    expect((await text).length).toBe(900 * KIB);
    expect(controller.calls).toEqual(['pause', 'resume']);
  });

  it('does not abort the controller', async () => {
    const { body, controller } = setup();
    body.push(Buffer.from('x'));
    body.end();
    await body.text();
    expect(controller.aborted).toBe(false);
  });
});

describe('ResponseBody iteration', () => {
  it('yields the chunks in the order they arrived, then ends', async () => {
    const { body, controller } = setup();
    body.push(Buffer.from('a'));
    body.push(Buffer.from('b'));
    const read: string[] = [];
    const done = (async () => {
      for await (const chunk of body) read.push(Buffer.from(chunk).toString());
    })();
    await settle();
    expect(read).toEqual(['a', 'b']);
    body.push(Buffer.from('c'));
    await settle();
    expect(read).toEqual(['a', 'b', 'c']);
    body.push(Buffer.from('d'));
    body.end();
    await done;
    expect(read).toEqual(['a', 'b', 'c', 'd']);
    expect(controller.calls).toEqual([]);
  });

  it('yields the chunks queued before the end even when the reader starts after it', async () => {
    const { body } = setup();
    body.push(Buffer.from('first'));
    body.push(Buffer.from('last'));
    body.end();
    const read: string[] = [];
    for await (const chunk of body) read.push(Buffer.from(chunk).toString());
    expect(read).toEqual(['first', 'last']);
  });

  it('pauses the socket above 256 KiB queued and resumes it below 64 KiB', async () => {
    const { body, controller } = setup();
    for (let index = 0; index < 4; index += 1) body.push(bytes(64 * KIB));
    // Exactly 256 KiB queued: not yet over the mark.
    expect(controller.paused).toBe(false);
    body.push(bytes(1));
    expect(controller.calls).toEqual(['pause']);
    // Still paused: no second pause for more data.
    body.push(bytes(64 * KIB));
    expect(controller.calls).toEqual(['pause']);

    const iterator = body[Symbol.asyncIterator]();
    // 320 KiB + 1 queued; reading 64 KiB chunks: 256 KiB + 1, 192 KiB + 1, 128 KiB + 1, 64 KiB + 1...
    for (let index = 0; index < 4; index += 1) {
      await iterator.next();
      expect(controller.paused).toBe(true);
    }
    // ...then the 1-byte chunk leaves 64 KiB: still not below the mark.
    await iterator.next();
    expect(controller.paused).toBe(true);
    // The last chunk leaves nothing queued.
    await iterator.next();
    expect(controller.calls).toEqual(['pause', 'resume']);
    body.end();
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
    expect(controller.aborted).toBe(false);
  });

  it('does not resume a socket the reader did not need paused', async () => {
    const { body, controller } = setup();
    body.push(bytes(10 * KIB));
    const iterator = body[Symbol.asyncIterator]();
    await iterator.next();
    expect(controller.calls).toEqual([]);
    body.end();
    await iterator.next();
  });

  it('throws the failure after the chunks that came before it', async () => {
    const { body, controller } = setup();
    body.push(Buffer.from('data: {"a":1}\n\n'));
    const reset = new Error('socket reset');
    body.fail(reset);
    const read: string[] = [];
    const iterate = async (): Promise<void> => {
      for await (const chunk of body) read.push(Buffer.from(chunk).toString());
    };
    await expect(iterate()).rejects.toBe(reset);
    expect(read).toEqual(['data: {"a":1}\n\n']);
    // The connection already failed: nothing to abort.
    expect(controller.aborted).toBe(false);
  });

  it('wakes a waiting reader with the failure', async () => {
    const { body } = setup();
    const iterator = body[Symbol.asyncIterator]();
    const next = iterator.next();
    await settle();
    const reset = new Error('terminated');
    body.fail(reset);
    await expect(next).rejects.toBe(reset);
  });

  it('aborts the controller when the reader breaks off early', async () => {
    const { body, controller } = setup();
    body.push(Buffer.from('one'));
    body.push(Buffer.from('two'));
    for await (const _chunk of body) break;
    expect(controller.aborted).toBe(true);
    expect(controller.reason?.message).toBe('response body discarded');
  });

  it('aborts the controller when the reader throws mid-body', async () => {
    const { body, controller } = setup();
    body.push(Buffer.from('not json'));
    const read = async (): Promise<void> => {
      for await (const chunk of body) JSON.parse(Buffer.from(chunk).toString());
    };
    await expect(read()).rejects.toThrow(SyntaxError);
    expect(controller.calls).toEqual(['abort']);
  });

  it('does not abort a controller that is already aborted', async () => {
    const { body, controller } = setup();
    body.push(Buffer.from('one'));
    const iterator = body[Symbol.asyncIterator]();
    await iterator.next();
    controller.abort(new Error('deadline'));
    await iterator.return(undefined);
    expect(controller.calls).toEqual(['abort']);
    expect(controller.reason?.message).toBe('deadline');
  });

  it('does not abort after the body ended, even when the reader leaves chunks unread', async () => {
    const { body, controller } = setup();
    body.push(Buffer.from('one'));
    body.push(Buffer.from('two'));
    body.end();
    for await (const _chunk of body) break;
    expect(controller.aborted).toBe(false);
  });
});

describe('ResponseBody.text with a limit', () => {
  it('rejects past limitBytes, aborts the rest and drops what it held', async () => {
    const { body, controller } = setup();
    const text = body.text({ limitBytes: 100 * KIB });
    body.push(bytes(64 * KIB));
    await settle();
    body.push(bytes(64 * KIB));
    const error = await text.catch((failure: unknown) => failure);
    expect(ResponseTooLarge.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ limit: 'maxAnswerBytes', max: 100 * KIB });
    expect((error as Error).message).toBe(
      'sent an answer larger than 102400 bytes (upstreamLimits.maxAnswerBytes)',
    );
    expect(controller.aborted).toBe(true);
    expect(controller.reason).toBe(error);
    // What undici reports after the abort does not replace the reason.
    body.fail(new Error('aborted'));
    await expect(body.text()).rejects.toBe(error);
  });

  it('rejects a body already queued past the limit, even one that ended', async () => {
    const { body, controller } = setup();
    body.push(bytes(10 * KIB));
    body.end();
    await expect(body.text({ limitBytes: 10 * KIB - 1 })).rejects.toMatchObject({ limit: 'maxAnswerBytes' });
    expect(controller.aborted).toBe(true);
  });

  it('reads a body of exactly limitBytes', async () => {
    const { body } = setup();
    body.push(bytes(10 * KIB));
    body.end();
    expect((await body.text({ limitBytes: 10 * KIB })).length).toBe(10 * KIB);
  });
});
