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
