import { eq } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { getDb } from "#app/db/client.server.ts";
import { certificates } from "#app/db/schema.ts";
import { attestAndComplete, creditedHours, getCompletionStatus } from "#app/progress/completion.server.ts";
import { getEnrollment } from "#app/progress/enrollment.server.ts";
import { createSignedInUser } from "#tests/db-utils.ts";
import { completeFixtureCourse } from "#tests/learning-utils.ts";

const ATTEST = { confirmed: true, ip: "203.0.113.9", userAgent: "test" };

/** A learner who has done everything but attest, and the course as they enrolled in it. */
async function readyToAttest() {
  const { user } = await createSignedInUser();
  const course = await completeFixtureCourse(user.id, { attest: false });
  return { user, course };
}

describe("the CE hours a completion credits", () => {
  test("are the hours offered at enrollment: a course whose hours rose since (with lessons not required of the learner) credits them no more", async () => {
    const { user, course } = await readyToAttest();
    expect((await getEnrollment(user.id, course.id))?.ceHours).toBe(course.ceHours);
    const raised = { ...course, ceHours: course.ceHours + 1 };
    expect((await getCompletionStatus(user.id, raised)).ceHours).toBe(course.ceHours);
    const done = await attestAndComplete(user.id, raised, ATTEST);
    if (!done.ok) throw new Error(done.message);
    expect(done.completion.ceHours).toBe(course.ceHours);
    const certificate = getDb().select().from(certificates).where(eq(certificates.userId, user.id)).get()!;
    expect(certificate.snapshot.ceHours).toBe(course.ceHours);
  });

  test("and never more than the course offers now: lowered hours bind learners who enrolled before", async () => {
    const { user, course } = await readyToAttest();
    const lowered = { ...course, ceHours: course.ceHours / 2 };
    const done = await attestAndComplete(user.id, lowered, ATTEST);
    if (!done.ok) throw new Error(done.message);
    expect(done.completion.ceHours).toBe(course.ceHours / 2);
  });

  test("an enrollment from before the hours were kept credits the course's hours", () => {
    expect(creditedHours({ ceHours: 2.5 }, { ceHours: null })).toBe(2.5);
    expect(creditedHours({ ceHours: 2.5 }, null)).toBe(2.5);
    expect(creditedHours({ ceHours: 2.5 }, { ceHours: 3 })).toBe(2.5);
    expect(creditedHours({ ceHours: 2.5 }, { ceHours: 2 })).toBe(2);
  });
});
