import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";
import { HydratedRouter } from "react-router/dom";

/**
 * A lesson page brings its compiled lesson as a deferred script that registers
 * itself (window.__kapLessons). Deferred scripts normally run before this module,
 * but under load the browser may start here first, and hydrating without the lesson
 * fails. So wait for each lesson script on the page to have run (its load event),
 * at most 10 s, then hydrate.
 */
function lessonScriptsReady(): Promise<unknown> {
  const pending = [...document.querySelectorAll<HTMLScriptElement>('script[src*="/lesson-code/"]')].filter((script) => {
    const hash = /\/lesson-code\/([0-9a-f]+)\.js/.exec(script.src)?.[1];
    return hash && !window.__kapLessons?.[hash];
  });
  const loaded = pending.map((script) => new Promise((resolve) => {
    script.addEventListener("load", resolve, { once: true });
    script.addEventListener("error", resolve, { once: true });
  }));
  return Promise.race([Promise.all(loaded), new Promise((resolve) => setTimeout(resolve, 10_000))]);
}

void lessonScriptsReady().then(() =>
  startTransition(() => {
    hydrateRoot(
      document,
      <StrictMode>
        <HydratedRouter />
      </StrictMode>,
    );
  }),
);
