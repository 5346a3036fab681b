import { z } from "zod";
import { requireUser } from "#app/auth/guards.server.ts";
import { canSeeDrafts } from "#app/auth/roles.ts";
import { findLesson } from "#app/content/catalog.server.ts";
import { markLessonComplete, recordHeartbeat, recordLessonView } from "#app/progress/lessons.server.ts";
import { formAnswer, readForm } from "#app/http/forms.server.ts";
import type { Route } from "./+types/progress";
import { missingPrerequisites, prerequisiteMessage } from "#app/progress/prerequisites.server.ts";

const schema = z.object({
  intent: z.enum(["view", "heartbeat", "complete"], { error: "Unknown progress action." }),
  courseId: z.string().min(1).max(100),
  moduleSlug: z.string().min(1).max(100),
  lessonSlug: z.string().min(1).max(100),
});

export async function loader() {
  throw new Response("Not found", { status: 404 });
}

/**
 * Lesson visits (the resume point, and enrollment on a first visit), heartbeats
 * (active time) and "mark complete", posted by the lesson page. Answers are
 * Responses (formAnswer): visits and heartbeats are plain fetches, not
 * single-fetch requests.
 */
export async function action(args: Route.ActionArgs) {
  const user = await requireUser(args);
  const parsed = schema.safeParse(Object.fromEntries(await readForm(args.request)));
  if (!parsed.success) return formAnswer(args.request, { ok: false, message: parsed.error.issues[0]?.message ?? "Malformed request." }, { status: 400 });
  const { intent, courseId, moduleSlug, lessonSlug } = parsed.data;
  const found = await findLesson(courseId, moduleSlug, lessonSlug, canSeeDrafts(user));
  if (!found) return formAnswer(args.request, { ok: false, message: "That lesson does not exist." }, { status: 404 });
  const missing = await missingPrerequisites(user, found.course);
  if (missing.length) return formAnswer(args.request, { ok: false, message: prerequisiteMessage(missing) }, { status: 403 });
  if (found.lesson.draft && intent !== "complete") return formAnswer(args.request, { ok: true, completed: false });
  if (intent === "view") {
    await recordLessonView(user.id, found.course, moduleSlug, lessonSlug);
    return formAnswer(args.request, { ok: true, completed: false });
  }
  if (intent === "heartbeat") {
    const beat = await recordHeartbeat(user.id, found.course, moduleSlug, lessonSlug);
    if (!beat.ok) return formAnswer(args.request, { ok: false, message: "Open the lesson before its time can be counted." }, { status: 409 });
    const { activeSeconds, minimumSeconds, remainingSeconds, canComplete } = beat;
    return formAnswer(args.request, { ok: true, completed: false, time: { activeSeconds, minimumSeconds, remainingSeconds, canComplete } });
  }
  const marked = await markLessonComplete(user.id, found.course, moduleSlug, lessonSlug, found.lesson.hash);
  if (!marked.ok) {
    const { activeSeconds, minimumSeconds, remainingSeconds, canComplete } = marked;
    return formAnswer(args.request, { ok: false, message: marked.message, time: { activeSeconds, minimumSeconds, remainingSeconds, canComplete } }, { status: 409 });
  }
  // Without JavaScript, the "Mark lesson complete" form itself lands here: back to the lesson.
  return formAnswer(args.request, { ok: true, completed: true }, { returnTo: `/courses/${courseId}/${moduleSlug}/${lessonSlug}` });
}
