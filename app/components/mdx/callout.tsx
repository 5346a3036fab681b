import type { ReactNode } from "react";

const LABELS = { note: "Note", warning: "Caution", "clinical-safety": "Clinical safety" } as const;

export function Callout({ type = "note", title, children }: { type?: keyof typeof LABELS; title?: string; children?: ReactNode }) {
  const kind = type in LABELS ? type : "note";
  return (
    <aside className={`callout callout--${kind}`} aria-label={title ?? LABELS[kind]}>
      <p className="callout__label">{LABELS[kind]}{title ? `: ${title}` : ""}</p>
      <div className="callout__body">{children}</div>
    </aside>
  );
}

export function Vignette({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <section className="vignette" aria-label={title}>
      <p className="vignette__label">{title}</p>
      <div>{children}</div>
    </section>
  );
}
