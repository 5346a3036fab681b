import { useFetcher } from "react-router";
import { useLesson } from "./lesson-context.tsx";

type SaveResult = { ok: true; savedAt: string } | { ok: false; message: string };

/** A private prompt; the answer is saved to the learner's account, seen by no one else. */
export function Reflection({ id, prompt }: { id: string; prompt: string }) {
  const lesson = useLesson();
  const fetcher = useFetcher<SaveResult>();
  // Prompt ids are unique within a lesson, so the field id does not need useId.
  const fieldId = `reflection-${id}`;
  const saving = fetcher.state !== "idle";
  const result = fetcher.data;
  return (
    <fetcher.Form method="post" action="/reflections" className="reflection">
      <label htmlFor={fieldId} className="reflection__prompt">
        <span className="reflection__label">Reflection</span> {prompt}
      </label>
      <p className="field__hint">Private: only you can see your answer.</p>
      <input type="hidden" name="courseId" value={lesson.courseId} />
      <input type="hidden" name="moduleSlug" value={lesson.moduleSlug} />
      <input type="hidden" name="lessonSlug" value={lesson.lessonSlug} />
      <input type="hidden" name="promptId" value={id} />
      <textarea id={fieldId} name="text" rows={4} maxLength={10000} defaultValue={lesson.reflections[id] ?? ""} disabled={!lesson.canSave} />
      <div className="actions">
        <button type="submit" className="button button--secondary button--small" disabled={saving || !lesson.canSave}>
          {saving ? "Saving…" : "Save reflection"}
        </button>
        <span aria-live="polite" className="muted">
          {result?.ok ? "Saved." : result && !result.ok ? result.message : ""}
        </span>
      </div>
    </fetcher.Form>
  );
}
