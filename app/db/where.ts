import { and, eq } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";

/** Rows of one learner in one course, for any table with `userId` and `courseId` columns. */
export function learnerInCourse(table: { userId: SQLiteColumn; courseId: SQLiteColumn }, userId: string, courseId: string) {
  return and(eq(table.userId, userId), eq(table.courseId, courseId));
}
