import type { IncomingMessage, ServerResponse } from "node:http";

/** No form here needs more than a few kilobytes. */
export const MAX_BODY_BYTES = 1024 * 1024;

export const BODY_TOO_LARGE_MESSAGE = bodyTooLargeMessage(MAX_BODY_BYTES);

/**
 * The one exception: a learner's external CE entry may carry a certificate file
 * (app/transcript/, at most 4 MiB), posted with the entry's form to add or edit it.
 */
export const UPLOAD_BODY_BYTES = 5 * 1024 * 1024;
const UPLOAD_PATHS = /^\/transcript\/entries\/[^/]+\/?$/;

/** The body limit for a request path (a URL's path, with or without its query). */
export function bodyLimitFor(pathOrUrl: string | undefined): number {
  const pathname = (pathOrUrl ?? "").split("?")[0]!;
  return UPLOAD_PATHS.test(pathname) ? UPLOAD_BODY_BYTES : MAX_BODY_BYTES;
}

export function bodyTooLargeMessage(limit: number): string {
  return `Request too large: a request body may be at most ${limit / 1024 / 1024} MiB.`;
}

/**
 * Ends a request whose body grows past `limit` bytes, however it is framed
 * (Content-Length or chunked). Node's HTTP parser hands each piece of the body
 * to `req.push`; counting there sees every byte before any reader does. At the
 * first byte over the limit nothing more is passed on and the parser stops
 * reading the socket, the client gets 413, and once that is sent the request is
 * destroyed with an error, so whoever reads the body (React Router's
 * `request.formData()`) fails instead of seeing a truncated form.
 */
export function limitRequestBody(req: IncomingMessage, res: ServerResponse, limit: number = bodyLimitFor(req.url)): void {
  let received = 0;
  let over = false;
  const push = req.push.bind(req);
  req.push = (chunk: unknown, encoding?: BufferEncoding): boolean => {
    if (over) return false;
    if (chunk !== null && chunk !== undefined) {
      received += (chunk as Buffer).length;
      if (received > limit) {
        over = true;
        refuse();
        return false;
      }
    }
    return push(chunk, encoding);
  };
  // The error below must never be an unhandled 'error' event, whoever listens.
  req.on("error", () => {});

  function refuse() {
    const message = bodyTooLargeMessage(limit);
    const error = Object.assign(new Error(message), { status: 413 });
    if (res.headersSent) {
      // An answer is already on its way: only stop reading.
      req.destroy(error);
      return;
    }
    res.writeHead(413, { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", Connection: "close" });
    const stop = () => req.destroy(error);
    res.once("close", stop);
    res.end(message, stop);
  }
}
