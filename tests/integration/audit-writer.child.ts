/**
 * A process of its own appending to the audit chain, as a second worker
 * (WEB_CONCURRENCY) would; started by multi-process.test.ts. Prints the
 * SQLite error codes it met as JSON.
 */
export {};

const [count, startAt] = process.argv.slice(2).map(Number);
const { recordAccess } = await import("#app/audit/audit.server.ts");
const { flushCheckpoints } = await import("#app/audit/anchor.server.ts");

// Both writers start at the same moment, so their writes interleave.
while (Date.now() < startAt!) await new Promise((resolve) => setTimeout(resolve, 5));
const errors: string[] = [];
for (let i = 0; i < count!; i++) {
  try {
    recordAccess(null as unknown as string, "test.concurrent-append", { i, pid: process.pid });
  } catch (error) {
    errors.push((error as { code?: string }).code ?? String(error));
  }
}
await flushCheckpoints();
process.stdout.write(JSON.stringify(errors));
