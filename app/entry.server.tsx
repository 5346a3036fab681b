import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { renderToPipeableStream } from "react-dom/server";
import "./http/route-match-cache.server.ts";
import { documentResponse, documentSink } from "./http/document-body.server.ts";
import { keptMarkupForRender } from "./http/kept-markup.server.ts";
import { KeptMarkupProvider } from "./components/kept-markup.tsx";
import { ServerLessonsProvider, type ServerLessons } from "./components/mdx/server-lessons.tsx";
import { NonceProvider } from "./components/nonce.tsx";
import { getCatalog, lessonByHash } from "./content/catalog.server.ts";
import { getEnv } from "./env.server.ts";

const ABORT_DELAY = 5_000;

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = loadContext.cspNonce;
  const catalog = await getCatalog();
  // Kept parts (a lesson's body, header, contents) are not handed to React, which would
  // render and encode them again: React writes placeholders only this request can
  // produce (the nonce is secret; React escapes "<" in text and attributes), and the
  // kept bytes replace them after rendering. In development everything is rendered.
  const kept = keptMarkupForRender(nonce, getEnv().NODE_ENV === "production");
  const lessons: ServerLessons = {
    code: (hash) => lessonByHash(catalog, hash)?.code ?? null,
    info(courseId, hash) {
      const lesson = lessonByHash(catalog, hash, courseId);
      return lesson ? { references: lesson.references, toc: lesson.toc } : null;
    },
  };
  // No page defers data, so the document is complete as soon as React is: it is
  // sent as one buffer (one write, a Content-Length) rather than streamed in ~2 KB
  // chunks, each of which cost a trip through three stream layers and a syscall.
  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    const timeout = setTimeout(() => abort(), ABORT_DELAY);
    const sink = documentSink((document) => {
      clearTimeout(timeout);
      const body = kept.finish(document, responseStatusCode === 200);
      responseHeaders.set("Content-Type", "text/html; charset=utf-8");
      responseHeaders.set("Content-Length", String(body.length));
      resolve(documentResponse(body, { headers: responseHeaders, status: responseStatusCode }, loadContext.sendsDocumentBuffers === true));
    }, reject);
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <KeptMarkupProvider value={kept.context}>
          <ServerLessonsProvider value={lessons}>
            <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
          </ServerLessonsProvider>
        </KeptMarkupProvider>
      </NonceProvider>,
      {
        nonce,
        onShellReady() {
          shellRendered = true;
        },
        onAllReady() {
          pipe(sink as unknown as NodeJS.WritableStream);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          // Errors before the shell reach Remix through onShellError; log only later ones.
          if (shellRendered) console.error(error);
        },
      },
    );
  });
}
