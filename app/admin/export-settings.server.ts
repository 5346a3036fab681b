import { listCourses } from "#app/content/catalog.server.ts";
import { getEnv } from "#app/env.server.ts";
import type { CeBrokerSettings } from "./exports.server.ts";

export async function ceBrokerSettings(): Promise<CeBrokerSettings> {
  const courses = await listCourses();
  return {
    providerNumber: getEnv().CE_BROKER_PROVIDER_NUMBER ?? "",
    courseNumbers: Object.fromEntries(courses.map((c) => [c.id, c.ceBroker?.courseNumber])),
  };
}
