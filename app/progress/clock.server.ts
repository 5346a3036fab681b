import { eq, sql } from "drizzle-orm";
import { prepared } from "#app/db/prepared.server.ts";
import { activityClock } from "#app/db/schema.ts";

/**
 * The learner's one activity clock: the moment their time on task was last
 * credited, by a lesson heartbeat (app/progress/lessons.server.ts) or a case
 * choice (app/cases/time.server.ts). Each credit is the time since it, so
 * pages open at once never earn the same seconds twice. Prepared on the app's
 * connection, these run inside a caller's transaction.
 */
export const clockOf = prepared((db) => db.select().from(activityClock).where(eq(activityClock.userId, sql.placeholder("userId"))).prepare());

/** Moves the clock to `now`, noting where it was moved from (a lesson key, or `case:<module>/<case>`). */
export const setClock = prepared((db) =>
  db
    .insert(activityClock)
    .values({ userId: sql.placeholder("userId"), courseId: sql.placeholder("courseId"), lessonKey: sql.placeholder("lessonKey"), lastBeatAt: sql.placeholder("now") })
    .onConflictDoUpdate({ target: activityClock.userId, set: { courseId: sql`excluded.course_id`, lessonKey: sql`excluded.lesson_key`, lastBeatAt: sql`excluded.last_beat_at` } })
    .prepare(),
);
