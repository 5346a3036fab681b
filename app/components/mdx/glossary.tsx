import { useId, useState, type ReactNode } from "react";

/** A term whose definition opens in place on click or keypress (a toggletip). */
export function Glossary({ term, children }: { term: string; children?: ReactNode }) {
  const [open, setOpen] = useState(false);
  const id = useId();
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
