/** `npm run db:seed`: migrates, then creates the demo accounts if the database has no users. */
import { closeDb, migrateDatabase } from "#app/db/client.server.ts";
import { DEMO_ACCOUNTS, seedDemoData } from "#app/db/seed.server.ts";

migrateDatabase();
const { seeded } = await seedDemoData();
closeDb();
if (seeded) {
  console.log("Demo accounts created:");
  for (const a of DEMO_ACCOUNTS) console.log(`  ${a.role.padEnd(8)} ${a.email.padEnd(26)} password: ${a.password}`);
} else {
  console.log("The database already has users; nothing seeded.");
}
