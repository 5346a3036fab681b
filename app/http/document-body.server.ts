/**
 * A rendered document travels beside its Response as one buffer (decision 009).
 *
 * `new Response(buffer)` copies the buffer into a byte stream (about 0.1 ms for a
 * 30 KB lesson page), and sending it means reading that stream back chunk by
 * chunk. Our own HTTP adapter (express-adapter.server.ts) says in the load
 * context that it can take the buffer directly; the document's Response then
 * carries no body of its own and the adapter writes the buffer in one call.
 * Any other caller gets an ordinary Response with the body inside.
 *
 * The key is a registered symbol because the server build and the HTTP server
 * are separate bundles, each with its own copy of this module.
 */
const DOCUMENT_BODY = Symbol.for("kap-academy.document-body");

type WithBody = Response & { [DOCUMENT_BODY]?: Buffer };

export function documentResponse(body: Buffer, init: ResponseInit, sentByAdapter: boolean): Response {
  if (!sentByAdapter) return new Response(body as Uint8Array<ArrayBuffer>, init);
  const response: WithBody = new Response(null, init);
  response[DOCUMENT_BODY] = body;
  return response;
}

/** The document's buffer when the Response carries one beside it. */
export function documentBody(response: Response): Buffer | undefined {
  return (response as WithBody)[DOCUMENT_BODY];
}

/** The part of a Node Writable that React's `pipe()` uses. */
type Destination = {
  write(chunk: Uint8Array | string): boolean;
  end(): void;
  destroy(error?: unknown): void;
  on(event: string, listener: (...args: unknown[]) => void): Destination;
};

/**
 * Where React writes a document: it collects the chunks and hands over the whole
 * document once, on React's first `end()` (React calls it twice).
 *
 * React's `pipe()` needs only `write`, `end`, `destroy` and `on` (for `drain`,
 * `error` and `close`, which this never emits: it takes every write at once). A
 * Writable did the same through its own buffering and a `finish` event a tick
 * later, and guarding its `end` against the second call (an own property on each
 * instance) made V8 keep every page's render through young-generation collections
 * into the old generation: 9-17 KB a page, collected only by full GCs (decision 012).
 */
export function documentSink(onDocument: (document: Buffer) => void, onError: (error: unknown) => void): Destination {
  const chunks: Uint8Array[] = [];
  let settled = false;
  const sink: Destination = {
    write(chunk) {
      if (!settled) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
      return true;
    },
    end() {
      if (settled) return;
      settled = true;
      try {
        onDocument(Buffer.concat(chunks));
      } catch (error) {
        onError(error);
      }
    },
    destroy(error) {
      if (settled) return;
      settled = true;
      onError(error ?? new Error("The document was abandoned before it was complete."));
    },
    on: () => sink,
  };
  return sink;
}
