import { and, eq, sql } from "drizzle-orm";
import { getDb } from "#app/db/client.server.ts";
import { createId } from "#app/db/ids.ts";
import { prepared } from "#app/db/prepared.server.ts";
import { reflections } from "#app/db/schema.ts";

const reflectionsOf = prepared((db) =>
  db
    .select({ promptId: reflections.promptId, text: reflections.text })
    .from(reflections)
    .where(
      and(
        eq(reflections.userId, sql.placeholder("userId")),
        eq(reflections.courseId, sql.placeholder("courseId")),
        eq(reflections.lessonKey, sql.placeholder("lessonKey")),
      ),
    )
    .prepare(),
);

export async function getReflections(userId: string, courseId: string, lessonKey: string): Promise<Record<string, string>> {
  const rows = reflectionsOf().all({ userId, courseId, lessonKey });
  return Object.fromEntries(rows.map((r) => [r.promptId, r.text]));
}

/** Saves (or replaces) the learner's answer; one row per prompt, so a resubmission is harmless. */
export async function saveReflection(input: { userId: string; courseId: string; lessonKey: string; promptId: string; text: string }): Promise<Date> {
  const now = new Date();
  getDb()
    .insert(reflections)
    .values({ id: createId(), ...input, updatedAt: now })
    .onConflictDoUpdate({
      target: [reflections.userId, reflections.courseId, reflections.lessonKey, reflections.promptId],
      set: { text: input.text, updatedAt: now },
    })
    .run();
  return now;
}
