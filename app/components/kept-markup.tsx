import { createContext, createElement, useContext, type ReactNode } from "react";

/**
 * Parts of a page that are the same for everyone who sees them (a lesson's body,
 * header, contents and links) are rendered by React once and then reused as
 * bytes by the server (decisions 008 and 010). The browser always renders them,
 * and hydrates the same HTML.
 */
export type KeptMarkup = {
  /** A placeholder standing for the markup kept under `key`, or null when none is kept yet. */
  reuse(key: string): string | null;
  /** Asks for this render's element marked `name` to be kept under `key`. */
  keep(key: string, name: string): void;
};

const KeptMarkupContext = createContext<KeptMarkup | null>(null);

/** Provided by entry.server only: in the browser, and in development, everything renders. */
export const KeptMarkupProvider = KeptMarkupContext.Provider;

type KeptProps = {
  as: "div" | "nav" | "header";
  /** Unique on the page; written as `data-kept`, which is how the server finds the element. */
  name: string;
  /**
   * Names everything the children's markup depends on, e.g. content versions.
   * Nothing personal may go into the children unless `reusable` is false.
   */
  source: string;
  /** False when this render of the children is personal (e.g. saved reflections). */
  reusable?: boolean;
  className?: string;
  "aria-label"?: string;
  /** A function, so that reused markup costs no elements at all. */
  children: () => ReactNode;
};

/** An element whose inner HTML the server renders once per `source` and then reuses. */
export function Kept({ as, name, source, reusable = true, children, className, "aria-label": label }: KeptProps) {
  const kept = useContext(KeptMarkupContext);
  // Props spelled out rather than spread: this runs several times a page, and spreads are slow in V8.
  if (kept && reusable) {
    const key = `${name}\u0000${source}`;
    const placeholder = kept.reuse(key);
    if (placeholder !== null) return createElement(as, { className, "aria-label": label, "data-kept": name, dangerouslySetInnerHTML: { __html: placeholder } });
    kept.keep(key, name);
  }
  return createElement(as, { className, "aria-label": label, "data-kept": name }, children());
}
