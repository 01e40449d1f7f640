import { MemoryVectorStore } from '@langchain/classic/vectorstores/memory';
import type { Document } from '@langchain/core/documents';
import { StringOutputParser } from '@langchain/core/output_parsers';
import { ChatPromptTemplate } from '@langchain/core/prompts';
import { RunnablePassthrough, RunnableSequence } from '@langchain/core/runnables';
import { createRouter, parseUsd, RoutingError, type RoutingTrace } from '@switchyard/core';
import { DEFAULT_MOCK_MODELS, embeddingVector, startMockUpstream } from '@switchyard/mock-upstream';
import { afterEach, describe, expect, it } from 'vitest';
import { ChatSwitchyard, SwitchyardEmbeddings } from '../src/index.js';
import { CHEAP, PROVIDER_KEY } from './support/start-router.js';

const SMALL = 'openai/text-embedding-3-small';
const MISTRAL = 'mistralai/mistral-embed';

const open: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.allSettled(open.splice(0).map((close) => close()));
});

/** A mock upstream and a router with an embedding route (`embed`: mistral, then small) and a chat alias. */
async function startRouter() {
  const mock = await startMockUpstream();
  const router = createRouter({
    config: {
      providers: { mock: { baseURL: mock.url, apiKey: PROVIDER_KEY } },
      models: {
        mistral: { provider: 'mock', model: MISTRAL },
        small: { provider: 'mock', model: SMALL },
        cheap: { provider: 'mock', model: CHEAP },
      },
      routes: { embed: { strategy: 'fallback', targets: ['mistral', 'small'] } },
      budgets: [{ scope: 'tag', match: 'tight', usd: '0.0000000001', period: 'day' }],
    },
    catalog: DEFAULT_MOCK_MODELS,
  });
  open.push(async () => {
    await router.close();
    await mock.close();
  });
  return { mock, router };
}

const DOCS = [
  'Paris is the capital of France and sits on the Seine.',
  'The Pacific is the largest ocean on Earth.',
  'Photosynthesis turns light into chemical energy in plants.',
  'Mount Everest is the highest mountain above sea level.',
];

describe('SwitchyardEmbeddings', () => {
  it('embeds documents in order, in batches of batchSize, and a query, through the route', async () => {
    const { mock, router } = await startRouter();
    const traces: RoutingTrace[] = [];
    const embeddings = new SwitchyardEmbeddings({
      router,
      model: 'embed',
      batchSize: 3,
      identity: { key: 'indexer' },
      onTrace: (trace) => traces.push(trace),
    });
    const vectors = await embeddings.embedDocuments([...DOCS, 'a fifth text']);
    expect(vectors).toEqual([...DOCS, 'a fifth text'].map((text) => embeddingVector(text, 1024)));
    expect(mock.requests.map((request) => (request.body as { input: string[] }).input.length)).toEqual([
      3, 2,
    ]);
    expect(mock.requests.every((request) => request.path === '/api/v1/embeddings')).toBe(true);
    expect(traces.map((trace) => trace.served?.model)).toEqual([MISTRAL, MISTRAL]);

    expect(await embeddings.embedQuery('where is Paris?')).toEqual(embeddingVector('where is Paris?', 1024));
    const entries = await router.ledger.query({ operation: 'embeddings', key: 'indexer' });
    expect(entries).toHaveLength(3);
    expect(entries.every((entry) => parseUsd(entry.costUsd) > 0n)).toBe(true);
  });

  it('falls back inside one call and passes dimensions', async () => {
    const { mock, router } = await startRouter();
    mock.script(MISTRAL, [{ kind: 'error', status: 503 }]);
    let seen: RoutingTrace | undefined;
    const embeddings = new SwitchyardEmbeddings({
      router,
      model: 'embed',
      dimensions: 64,
      onTrace: (trace) => {
        seen = trace;
      },
    });
    // The scripted 503 moves the call to the next target, which shortens its vectors.
    const vector = await embeddings.embedQuery('short vectors');
    expect(vector).toEqual(embeddingVector('short vectors', 64));
    expect(seen?.fallback).toBe(true);
    expect(seen?.served?.model).toBe(SMALL);
  });

  it('rejects with the router’s error, not retried, when a budget refuses the call', async () => {
    const { mock, router } = await startRouter();
    const embeddings = new SwitchyardEmbeddings({
      router,
      model: 'embed',
      identity: { tags: ['tight'] },
      maxRetries: 3,
    });
    const error = await embeddings.embedQuery('over the budget').catch((caught: unknown) => caught);
    expect(RoutingError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'budget_exceeded' });
    expect(mock.requests).toHaveLength(0);
    expect(() => new SwitchyardEmbeddings({ router, model: '' })).toThrow(/needs a `model`/);
    expect(() => new SwitchyardEmbeddings({ router, model: 'embed', batchSize: 0 })).toThrow(/batchSize/);
  });

  it('serves a MemoryVectorStore retriever in a retrieval chain with ChatSwitchyard', async () => {
    const { router } = await startRouter();
    const embeddings = new SwitchyardEmbeddings({ router, model: 'embed' });
    const store = await MemoryVectorStore.fromTexts(
      DOCS,
      DOCS.map((_, index) => ({ id: index })),
      embeddings,
    );
    const [best] = await store.similaritySearch('What is the capital of France?', 1);
    expect(best?.pageContent).toBe(DOCS[0]);
    const [ocean] = await store.similaritySearch('the largest ocean', 1);
    expect(ocean?.metadata).toEqual({ id: 1 });

    const retriever = store.asRetriever(1);
    const prompt = ChatPromptTemplate.fromMessages([
      ['system', 'Answer from the context.'],
      ['human', 'Context: {context}\nQuestion: {question}'],
    ]);
    const chain = RunnableSequence.from([
      {
        context: retriever.pipe((documents: Document[]) =>
          documents.map((doc) => doc.pageContent).join('\n'),
        ),
        question: new RunnablePassthrough(),
      },
      prompt,
      new ChatSwitchyard({ router, model: 'cheap' }),
      new StringOutputParser(),
    ]);
    const answer = await chain.invoke('Which mountain is the highest?');
    // The mock echoes the last user message (white space folded): the retrieved document made it in.
    expect(answer).toBe(
      `Mock reply from ${CHEAP}: you said "Context: ${DOCS[3]} Question: Which mountain is the highest?".`,
    );
  });
});
