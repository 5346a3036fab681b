import { describe, expect, test } from "vitest";
import { findCourse } from "#app/content/catalog.server.ts";
import { getDb } from "#app/db/client.server.ts";
import { answersFromForm, startAttempt } from "#app/quiz/attempts.server.ts";
import { action as quizAction } from "#app/routes/courses.$courseId.$moduleSlug.quiz._index.tsx";
import { createSignedInUser } from "#tests/db-utils.ts";
import { completeModuleLessons, testClock } from "#tests/learning-utils.ts";
import { formRequest, run } from "#tests/route-utils.ts";

const course = (await findCourse("fixture-course"))!;
const quizParams = { courseId: "fixture-course", moduleSlug: "basics" };

describe("finding 5: a quiz field named after an Object.prototype key", () => {
  test.each(["q-__proto__", "q-constructor", "q-toString"])("finding 5: %s through the quiz action: 400 'not part of this attempt', nothing written", async (field) => {
    const { user, cookie } = await createSignedInUser();
    await completeModuleLessons(user.id, course, "basics", testClock(new Date(Date.now() - 3_600_000)));
    const started = await startAttempt(user.id, course, "basics");
    if (!started.ok) throw new Error(started.message);
    const fields: Record<string, string | string[]> = { intent: "submit", attemptId: started.attempt.id };
    // Every real question answered with its key, plus the hostile field (twice, so a second value is pushed).
    for (const q of started.attempt.questions) fields[`q-${q.id}`] = q.answer;
    fields[field] = ["a", "b"];
    const before = getDb().$client.prepare("select status, answers, submitted_at from quiz_attempts where id = ?").get(started.attempt.id);

    const res = await run<{ message: string }>(quizAction, formRequest("/courses/fixture-course/basics/quiz", fields, { cookie }), undefined, quizParams);
    expect(res.status).toBe(400);
    expect(res.data?.message).toMatch(/not part of this attempt/);
    expect(getDb().$client.prepare("select status, answers, submitted_at from quiz_attempts where id = ?").get(started.attempt.id)).toEqual(before);
    expect(before).toMatchObject({ status: "open", submitted_at: null });
  });

  test("finding 5: the parsed answers are a map without a prototype, holding exactly the fields sent", () => {
    const form = new FormData();
    for (const name of ["q-__proto__", "q-constructor", "q-toString", "q-hasOwnProperty"]) form.append(name, "x");
    const answers = answersFromForm(form);
    expect(Object.getPrototypeOf(answers)).toBeNull();
    expect(Object.keys(answers).sort()).toEqual(["__proto__", "constructor", "hasOwnProperty", "toString"]);
    expect(answers.toString).toEqual(["x"]);
  });
});
