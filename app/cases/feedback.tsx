import { useEffect, useRef } from "react";
import { useLocation } from "react-router";
import type { Feedback } from "./runs.server.ts";

/** A choice's rating, feedback and source, as shown after the choice and in the debrief. */
export function FeedbackBody({ f }: { f: Feedback }) {
  return (
    <>
      <p>
        <span className={`case-rating case-rating--${f.rating}`} data-testid="case-rating">{f.ratingLabel}</span>{" "}
        <span data-testid="case-choice-text">{f.choiceText}</span>
      </p>
      {f.feedback ? <p data-testid="case-feedback">{f.feedback}</p> : null}
      {f.source ? (
        <p className="muted case-source">
          Source: {f.source.url ? <a href={f.source.url}>{f.source.citation}</a> : f.source.citation}
        </p>
      ) : null}
    </>
  );
}

/**
 * The feedback after a choice, focused so a screen reader reads it first: on a
 * client navigation when `focusKey` changes, and on a full page load (no
 * JavaScript until now) when the address ends in #feedback.
 */
export function ChoiceFeedback({ f, focusKey, heading = "Your choice" }: { f: Feedback; focusKey: string; heading?: string }) {
  const ref = useRef<HTMLElement>(null);
  const location = useLocation();
  const first = useRef(true);
  useEffect(() => {
    if (!first.current || location.hash === "#feedback") ref.current?.focus();
    first.current = false;
  }, [focusKey, location.hash]);
  return (
    <section id="feedback" ref={ref} tabIndex={-1} className={`card case-feedback case-feedback--${f.rating}`} aria-labelledby="feedback-heading" data-testid="case-feedback-box">
      <h2 id="feedback-heading" style={{ marginTop: 0 }}>{heading}</h2>
      <FeedbackBody f={f} />
    </section>
  );
}
