import { getMDXComponent } from "mdx-bundler/client/index.js";
import * as React from "react";
import * as ReactDOM from "react-dom";
import * as jsxRuntime from "react/jsx-runtime";
import { Callout, Vignette } from "./callout.tsx";
import { Cite } from "./cite.tsx";
import { Figure } from "./figure.tsx";
import { Glossary } from "./glossary.tsx";
import { KnowledgeCheck } from "./knowledge-check.tsx";
import { useServerLessons } from "./server-lessons.tsx";
import { Reflection } from "./reflection.tsx";

/** What lessons may use; app/content/components.ts lists the same names for the checker. */
export const mdxComponents = { Callout, Vignette, KnowledgeCheck, Cite, Figure, Glossary, Reflection };

type MDXContent = React.ComponentType<{ components?: Record<string, React.ComponentType<never>> }>;
type LessonFactory = (react: typeof React, reactDom: typeof ReactDOM, runtime: typeof jsxRuntime) => { default: MDXContent };

declare global {
  interface Window {
    __kapLessons?: Record<string, LessonFactory>;
  }
}

/**
 * Compiled lessons reach the browser as scripts served from our own origin
 * (/lesson-code/<hash>.js), so the strict Content-Security-Policy needs no
 * 'unsafe-eval'. On the server the same code is evaluated directly.
 */
export function lessonScriptUrl(hash: string): string {
  return `/lesson-code/${hash}.js`;
}

export function loadLessonScript(hash: string): Promise<void> {
  if (window.__kapLessons?.[hash]) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = lessonScriptUrl(hash);
    script.onload = () => resolve();
    script.onerror = () => reject(new Error("The lesson could not be loaded. Check your connection and reload the page."));
    document.head.appendChild(script);
  });
}

// Server side, a lesson's component is built once per content hash, not per request.
const serverComponents = new Map<string, MDXContent>();

export function useLessonComponent(hash: string): MDXContent {
  const server = useServerLessons();
  return React.useMemo(() => {
    if (typeof document === "undefined") {
      let component = serverComponents.get(hash);
      if (!component) {
        const code = server?.code(hash);
        if (!code) throw new Error(`No compiled code for lesson ${hash}`);
        component = getMDXComponent(code) as MDXContent;
        serverComponents.set(hash, component);
      }
      return component;
    }
    const factory = window.__kapLessons?.[hash];
    if (!factory) throw new Error("The lesson script did not load. Reload the page.");
    return factory(React, ReactDOM, jsxRuntime).default;
  }, [hash, server]);
}
