import { useLesson } from "./lesson-context.tsx";

/** A numbered citation linking to the lesson's reference list. */
export function Cite({ id }: { id: string }) {
  const { references } = useLesson();
  const index = references.findIndex((r) => r.id === id);
  if (index === -1) return null;
  return (
    <sup className="cite">
      <a href={`#ref-${id}`} aria-label={`Reference ${index + 1}`}>[{index + 1}]</a>
    </sup>
  );
}

export function ReferenceList() {
  const { references } = useLesson();
  if (!references.length) return null;
  return (
    <section className="references" aria-labelledby="references-heading">
      <h2 id="references-heading">References</h2>
      <ol>
        {references.map((r) => (
          <li key={r.id} id={`ref-${r.id}`}>
            {r.citation}{" "}
            {r.url ? (
              <a href={r.url} rel="noreferrer" target="_blank">
                {r.url}
              </a>
            ) : null}
          </li>
        ))}
      </ol>
    </section>
  );
}
