import { PassThrough } from "node:stream";
import { buffer } from "node:stream/consumers";
import { renderToPipeableStream } from "react-dom/server";
import { ServerRouter, type EntryContext, type RouterContextProvider } from "react-router";
import { ServerLessonsProvider, type ServerLessons } from "./components/mdx/server-lessons.tsx";
import { NonceProvider } from "./components/nonce.tsx";
import { getCatalog, lessonByHash } from "./content/catalog.server.ts";
import { nonceContext } from "./middleware/context.ts";

/** Loaders that take longer than this are abandoned with an error. */
export const streamTimeout = 5_000;

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  routerContext: EntryContext,
  loadContext: RouterContextProvider,
) {
  const nonce = loadContext.get(nonceContext);
  const catalog = await getCatalog();
  // Lesson code and contents come from the catalog: loader data never carries them,
  // and the browser gets them once, as the lesson's own cached script.
  const lessons: ServerLessons = {
    code: (hash) => lessonByHash(catalog, hash)?.code ?? null,
    info(courseId, hash) {
      const lesson = lessonByHash(catalog, hash, courseId);
      return lesson ? { references: lesson.references, toc: lesson.toc } : null;
    },
  };
  // No page defers data, so a page is complete when its shell is: it is sent whole,
  // with a Content-Length. Streamed, each of React's ~20 writes would be compressed
  // and flushed on its own (a larger page, and twice the server's time).
  const html = await new Promise<Buffer>((resolve, reject) => {
    let shellRendered = false;
    // Abort the render a second after loaders time out, so their rejections can reach the page.
    const timer = setTimeout(() => abort(), streamTimeout + 1000);
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <ServerLessonsProvider value={lessons}>
          <ServerRouter context={routerContext} url={request.url} nonce={nonce} />
        </ServerLessonsProvider>
      </NonceProvider>,
      {
        nonce,
        onShellReady() {
          shellRendered = true;
        },
        onAllReady() {
          clearTimeout(timer);
          const body = new PassThrough();
          buffer(body).then(resolve, reject);
          pipe(body);
        },
        onShellError(error: unknown) {
          clearTimeout(timer);
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          // Errors before the shell reach React Router through onShellError; log only later ones.
          if (shellRendered) console.error(error);
        },
      },
    );
  });
  responseHeaders.set("Content-Type", "text/html; charset=utf-8");
  responseHeaders.set("Content-Length", String(html.byteLength));
  return new Response(new Uint8Array(html), { headers: responseHeaders, status: responseStatusCode });
}
