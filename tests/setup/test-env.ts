/**
 * Runs before each test file: a fresh, migrated SQLite file and outbox of its
 * own, so files run in parallel without sharing state.
 */
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll } from "vitest";

const dir = path.resolve("tests/.db", randomUUID());
fs.mkdirSync(dir, { recursive: true });
process.env.NODE_ENV = "test";
process.env.DATABASE_PATH = path.join(dir, "test.db");
process.env.OUTBOX_DIR = path.join(dir, "outbox");
process.env.SEED_DEMO = "false";
process.env.CONTENT_DIR = "tests/fixtures/content";
process.env.SIGNING_KEY_PATH = path.join(dir, "signing-key.json");
process.env.PUBLIC_URL = "http://localhost:3000";
delete process.env.SMTP_URL;

const { migrateDatabase, closeDb } = await import("#app/db/client.server.ts");
migrateDatabase();

afterAll(() => {
  closeDb();
  fs.rmSync(dir, { recursive: true, force: true });
});
