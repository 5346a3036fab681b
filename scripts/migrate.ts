/** `npm run db:migrate`: applies pending drizzle migrations to DATABASE_PATH. */
import { getEnv } from "#app/env.server.ts";
import { closeDb, migrateDatabase } from "#app/db/client.server.ts";

const env = getEnv();
migrateDatabase();
closeDb();
console.log(`Database ${env.DATABASE_PATH} is up to date.`);
