import { useFetcher } from "react-router";
import { useEffect, useRef, useState } from "react";

/** With no input for this long, the learner is away: beats stop until they return. */
const IDLE_MS = 5 * 60_000;

type Ids = { courseId: string; moduleSlug: string; lessonSlug: string };

/** Credited time against the lesson's minimum, as the server last reported it. */
export type LessonTimeView = { activeSeconds: number; minimumSeconds: number; remainingSeconds: number; canComplete: boolean };

async function post(intent: "view" | "heartbeat", ids: Ids): Promise<{ time?: LessonTimeView } | null> {
  const body = new FormData();
  body.set("intent", intent);
  for (const [k, v] of Object.entries(ids)) body.set(k, v);
  try {
    const response = await fetch("/progress", { method: "POST", body, credentials: "same-origin" });
    return response.ok ? ((await response.json()) as { time?: LessonTimeView }) : null;
  } catch {
    return null;
  }
}

/**
 * Records the visit (enrolling on a first visit and moving the resume point) with
 * a POST as the page opens, since a GET never writes; then sends a heartbeat
 * every `heartbeatSeconds` while the tab is visible and the learner has been
 * active (pointer, keys, scroll, touch) within the last 5 minutes. The server
 * measures the time between beats and answers with the lesson's credited time,
 * which this returns. Drafts record nothing.
 */
export function useLessonVisit(ids: Ids, record: boolean, heartbeatSeconds: number, initial: LessonTimeView): LessonTimeView {
  const lastActivity = useRef(Date.now());
  // The server's latest answer, for the lesson it is about: moving to another lesson by a
  // link keeps this hook mounted, and the previous lesson's time must not show on the next.
  const key = `${ids.courseId}/${ids.moduleSlug}/${ids.lessonSlug}`;
  const [latest, setLatest] = useState<{ key: string; time: LessonTimeView } | null>(null);
  useEffect(() => {
    if (!record) return;
    let live = true;
    void post("view", ids);
    const mark = () => (lastActivity.current = Date.now());
    const events = ["pointermove", "keydown", "scroll", "touchstart", "click"] as const;
    for (const e of events) window.addEventListener(e, mark, { passive: true });
    const timer = setInterval(() => {
      if (document.visibilityState !== "visible" || Date.now() - lastActivity.current > IDLE_MS) return;
      void post("heartbeat", ids).then((answer) => {
        if (live && answer?.time) setLatest({ key, time: answer.time });
      });
    }, heartbeatSeconds * 1000);
    return () => {
      live = false;
      clearInterval(timer);
      for (const e of events) window.removeEventListener(e, mark);
    };
  }, [key, record, heartbeatSeconds]); // eslint-disable-line react-hooks/exhaustive-deps
  // The loader's figure, unless a newer beat for this lesson says more.
  return latest?.key === key && latest.time.activeSeconds >= initial.activeSeconds ? latest.time : initial;
}

/** "3 minutes", "1 minute", "40 seconds": what is still needed, in round words. */
function remaining(seconds: number): string {
  if (seconds >= 90) return `about ${Math.ceil(seconds / 60)} minutes`;
  if (seconds >= 60) return "about 1 minute";
  return `${seconds} second${seconds === 1 ? "" : "s"}`;
}

/**
 * "Mark complete": enabled once the server says the lesson's credited time has
 * reached its minimum. Until then it says how much reading time is still needed.
 */
export function MarkComplete({ ids, completed, time }: { ids: Ids; completed: boolean; time: LessonTimeView }) {
  const fetcher = useFetcher<{ ok: boolean; completed?: boolean; message?: string; time?: LessonTimeView }>();
  // The button also waits until the learner has scrolled to the end of the lesson.
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
  // The newest word from the server: a refused "complete" carries the time too.
  const shown = fetcher.data?.time && fetcher.data.time.activeSeconds > time.activeSeconds ? fetcher.data.time : time;
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
          <p className="muted" role="status" data-testid="time-needed">
            {shown.canComplete
              ? "You have spent the reading time this lesson needs."
              : `Reading time still needed: ${remaining(shown.remainingSeconds)}. It is counted while this page is open and you are active on it (with JavaScript on).`}
          </p>
          <button type="submit" className="button" disabled={!shown.canComplete || !reachedEnd || fetcher.state !== "idle"}>
            {fetcher.state !== "idle" ? "Saving…" : "Mark lesson complete"}
          </button>
          {fetcher.data && !fetcher.data.ok ? <p className="field__error">{fetcher.data.message}</p> : null}
        </fetcher.Form>
      )}
    </div>
  );
}
