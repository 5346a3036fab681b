import { useFetcher } from "react-router";
import { useEffect, useRef, useState } from "react";

const HEARTBEAT_MS = 30_000;
const IDLE_MS = 10 * 60_000;

type Ids = { courseId: string; moduleSlug: string; lessonSlug: string };

function post(intent: "view" | "heartbeat", ids: Ids) {
  const body = new FormData();
  body.set("intent", intent);
  for (const [k, v] of Object.entries(ids)) body.set(k, v);
  return fetch("/progress", { method: "POST", body, credentials: "same-origin" }).catch(() => {});
}

/**
 * Records the visit (enrolling on a first visit and moving the resume point) with
 * a POST as the page opens, since a GET never writes; then sends a heartbeat
 * every 30 s while the tab is visible and the learner has been active (pointer,
 * keys, scroll, touch) within the last 10 minutes. Drafts record nothing.
 */
export function useLessonVisit(ids: Ids, record: boolean) {
  const lastActivity = useRef(Date.now());
  useEffect(() => {
    if (!record) return;
    void post("view", ids);
    const mark = () => (lastActivity.current = Date.now());
    const events = ["pointermove", "keydown", "scroll", "touchstart", "click"] as const;
    for (const e of events) window.addEventListener(e, mark, { passive: true });
    const timer = setInterval(() => {
      if (document.visibilityState !== "visible" || Date.now() - lastActivity.current > IDLE_MS) return;
      void post("heartbeat", ids);
    }, HEARTBEAT_MS);
    return () => {
      clearInterval(timer);
      for (const e of events) window.removeEventListener(e, mark);
    };
  }, [ids.courseId, ids.moduleSlug, ids.lessonSlug, record]); // eslint-disable-line react-hooks/exhaustive-deps
}

/** "Mark complete", offered once the learner has reached the end of the lesson. */
export function MarkComplete({ ids, completed }: { ids: Ids; completed: boolean }) {
  const fetcher = useFetcher<{ ok: boolean; completed?: boolean; message?: string }>();
  const sentinel = useRef<HTMLDivElement>(null);
  const [reachedEnd, setReachedEnd] = useState(true);
  useEffect(() => {
    const el = sentinel.current;
    if (!el || completed || typeof IntersectionObserver === "undefined") return;
    setReachedEnd(false);
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) {
        setReachedEnd(true);
        observer.disconnect();
      }
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [completed]);
  const done = completed || fetcher.data?.completed === true;
  return (
    <div className="mark-complete" ref={sentinel}>
      {done ? (
        <p className="alert alert--success" role="status">Lesson complete.</p>
      ) : (
        <fetcher.Form method="post" action="/progress">
          <input type="hidden" name="intent" value="complete" />
          <input type="hidden" name="courseId" value={ids.courseId} />
          <input type="hidden" name="moduleSlug" value={ids.moduleSlug} />
          <input type="hidden" name="lessonSlug" value={ids.lessonSlug} />
          <button type="submit" className="button" disabled={!reachedEnd || fetcher.state !== "idle"}>
            {fetcher.state !== "idle" ? "Saving…" : "Mark lesson complete"}
          </button>
          {fetcher.data && !fetcher.data.ok ? <p className="field__error">{fetcher.data.message}</p> : null}
        </fetcher.Form>
      )}
    </div>
  );
}
