import { z } from "zod";
import { requireUser } from "#app/auth/guards.server.ts";
import { canSeeDrafts } from "#app/auth/roles.ts";
import { findLesson } from "#app/content/catalog.server.ts";
import { saveReflection } from "#app/progress/reflections.server.ts";
import { formAnswer, readForm } from "#app/http/forms.server.ts";
import type { Route } from "./+types/reflections";
import { missingPrerequisites, prerequisiteMessage } from "#app/progress/prerequisites.server.ts";

const schema = z.object({
  courseId: z.string().min(1).max(100),
  moduleSlug: z.string().min(1).max(100),
  lessonSlug: z.string().min(1).max(100),
  promptId: z.string().min(1).max(100),
  text: z.string().max(10_000, "Keep a reflection under 10,000 characters."),
});

export async function loader() {
  throw new Response("Not found", { status: 404 });
}

export async function action(args: Route.ActionArgs) {
  const user = await requireUser(args);
  const parsed = schema.safeParse(Object.fromEntries(await readForm(args.request)));
  if (!parsed.success) {
    return formAnswer(args.request, { ok: false, message: parsed.error.issues[0]?.message ?? "That reflection could not be saved." }, { status: 400 });
  }
  const { courseId, moduleSlug, lessonSlug, promptId, text } = parsed.data;
  const found = await findLesson(courseId, moduleSlug, lessonSlug, canSeeDrafts(user));
  if (!found || !found.lesson.reflections.includes(promptId)) {
    return formAnswer(args.request, { ok: false, message: "That reflection prompt no longer exists in this lesson." }, { status: 404 });
  }
  const missing = await missingPrerequisites(user, found.course);
  if (missing.length) return formAnswer(args.request, { ok: false, message: prerequisiteMessage(missing) }, { status: 403 });
  const savedAt = await saveReflection({ userId: user.id, courseId, lessonKey: `${moduleSlug}/${lessonSlug}`, promptId, text });
  return formAnswer(args.request, { ok: true, savedAt: savedAt.toISOString() }, { returnTo: `/courses/${courseId}/${moduleSlug}/${lessonSlug}#reflection-${promptId}` });
}
