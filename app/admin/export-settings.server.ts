import { listCourses } from "#app/content/catalog.server.ts";
import { getEnv } from "#app/env.server.ts";
import { ceBrokerCourseIds, type CompletionFilter } from "./completions.server.ts";
import { CeBrokerNotConfigured, ceBrokerProblems, type CeBrokerSettings } from "./exports.server.ts";

export async function ceBrokerSettings(): Promise<CeBrokerSettings> {
  const courses = await listCourses();
  return {
    providerNumber: getEnv().CE_BROKER_PROVIDER_NUMBER ?? "",
    courseNumbers: Object.fromEntries(courses.map((c) => [c.id, c.ceBroker?.courseNumber])),
  };
}

/**
 * Whether a CE Broker roster of this filter can be produced: the settings, or the
 * refusal naming each missing setting (the provider tracking number, and the course
 * tracking number of each course the roster would list).
 */
export async function ceBrokerReadiness(filter: CompletionFilter): Promise<{ ok: true; settings: CeBrokerSettings } | { ok: false; error: CeBrokerNotConfigured }> {
  const settings = await ceBrokerSettings();
  const problems = ceBrokerProblems(settings, ceBrokerCourseIds(filter));
  return problems.length ? { ok: false, error: new CeBrokerNotConfigured(problems) } : { ok: true, settings };
}
