import { getMDXComponent } from "mdx-bundler/client/index.js";
import * as React from "react";
import * as ReactDOM from "react-dom";
import * as jsxRuntime from "react/jsx-runtime";
import { Callout, Vignette } from "./callout.tsx";
import { Cite } from "./cite.tsx";
import { Figure } from "./figure.tsx";
import { Glossary } from "./glossary.tsx";
import { KnowledgeCheck } from "./knowledge-check.tsx";
import { useServerLessons, type LessonInfo } from "./server-lessons.tsx";
import { Reflection } from "./reflection.tsx";
import { CaseCard } from "#app/cases/embed.tsx";

/** What lessons may use; app/content/components.ts lists the same names for the checker. */
export const mdxComponents = { Callout, Vignette, KnowledgeCheck, Cite, Figure, Glossary, Reflection, Case: CaseCard };

type MDXContent = React.ComponentType<{ components?: Record<string, React.ComponentType<never>> }>;
type LessonFactory = (react: typeof React, reactDom: typeof ReactDOM, runtime: typeof jsxRuntime) => { default: MDXContent };

declare global {
  interface Window {
    __kapLessons?: Record<string, LessonFactory>;
    __kapLessonInfo?: Record<string, LessonInfo>;
  }
}

/** Which lesson script: the lesson's content hash, in a course at a version. */
export type LessonScript = { courseId: string; courseVersion: string; hash: string };

/**
 * Compiled lessons reach the browser as scripts served from our own origin
 * (/lesson-code/<hash>.js), so the strict Content-Security-Policy needs no
 * 'unsafe-eval'. On the server the same code is evaluated directly. The script
 * also carries the lesson's references and table of contents, which would
 * otherwise be loader data on every view; reference texts live in the course's
 * YAML, so the URL names the course version and a new version is a new script.
 */
export function lessonScriptUrl({ courseId, courseVersion, hash }: LessonScript): string {
  return `/lesson-code/${hash}.js?course=${encodeURIComponent(courseId)}&v=${encodeURIComponent(courseVersion)}`;
}

/** Where a lesson script registers its info (lesson-code.$file.ts writes the same key). */
const infoKey = ({ courseId, courseVersion, hash }: LessonScript) => `${courseId}@${courseVersion}:${hash}`;

export function loadLessonScript(lesson: LessonScript): Promise<void> {
  if (window.__kapLessons?.[lesson.hash] && window.__kapLessonInfo?.[infoKey(lesson)]) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = lessonScriptUrl(lesson);
    script.onload = () => resolve();
    script.onerror = () => reject(new Error("The lesson could not be loaded. Check your connection and reload the page."));
    document.head.appendChild(script);
  });
}

const NO_INFO: LessonInfo = { references: [], toc: [] };

/** The lesson's references and table of contents: from the catalog on the server, from its script in the browser. */
export function useLessonInfo(lesson: LessonScript | null): LessonInfo {
  const server = useServerLessons();
  if (!lesson) return NO_INFO;
  if (server) return server.info(lesson.courseId, lesson.hash) ?? NO_INFO;
  return (typeof window !== "undefined" && window.__kapLessonInfo?.[infoKey(lesson)]) || NO_INFO;
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
