import { Link, useSearchParams } from "react-router";

/** Previous / next links that keep the current filters. */
export function Pagination({ page, pages }: { page: number; pages: number }) {
  const [params] = useSearchParams();
  if (pages <= 1) return null;
  const href = (p: number) => {
    const next = new URLSearchParams(params);
    next.set("page", String(p));
    return `?${next}`;
  };
  return (
    <nav className="actions" aria-label="Pages" style={{ marginTop: "1rem" }}>
      {page > 1 ? <Link to={href(page - 1)}>Previous</Link> : null}
      <span>Page {page} of {pages}</span>
      {page < pages ? <Link to={href(page + 1)}>Next</Link> : null}
    </nav>
  );
}
