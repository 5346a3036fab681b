import { useId, useState, type ReactNode } from "react";

/** A term whose definition opens in place on click or keypress (a toggletip). */
export function Glossary({ term, uid, children }: { term: string; uid?: string; children?: ReactNode }) {
  const [open, setOpen] = useState(false);
  // Compiled lessons give each term its id (compile.server.ts); useId is the fallback.
  const fallbackId = useId();
  const id = uid ?? fallbackId;
  return (
    <span className="glossary">
      <button type="button" className="glossary__term" aria-expanded={open} aria-controls={id} onClick={() => setOpen((o) => !o)}>
        {term}
      </button>
      <span id={id} role="note" className="glossary__definition" hidden={!open}>
        <dfn>{term}</dfn>: {children}
      </span>
    </span>
  );
}
