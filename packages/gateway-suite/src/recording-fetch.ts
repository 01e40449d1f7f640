/** A `fetch` that keeps every response's headers and body text, for the secret scan. */
export interface RecordingFetch {
  fetch: typeof fetch;
  /** Every header block and body seen so far (a body as far as its reader read it). */
  texts(): string[];
}

/**
 * Creates a {@link RecordingFetch}; give its `fetch` to every client the suite uses. Bodies are
 * recorded as they pass through (not by a `clone()`, whose second branch would keep reading a
 * stream the client cancelled, and so keep the connection open).
 */
export function createRecordingFetch(): RecordingFetch {
  const seen: Array<{ text: string }> = [];
  const recording: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    seen.push({ text: JSON.stringify([...response.headers]) });
    if (response.body === null) return response;
    const body = { text: '' };
    seen.push(body);
    const decoder = new TextDecoder();
    const tap = new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        body.text += decoder.decode(chunk, { stream: true });
        controller.enqueue(chunk);
      },
    });
    return new Response(response.body.pipeThrough(tap), {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
  return { fetch: recording, texts: () => seen.map((entry) => entry.text) };
}
