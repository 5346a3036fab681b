/// <reference types="vitest/config" />
import os from "node:os";
import { reactRouter } from "@react-router/dev/vite";
import { defineConfig } from "vite";

export default defineConfig({
  server: { port: 3000 },
  // argon2's browser entry must never be pre-bundled (it is server-only).
  optimizeDeps: { exclude: ["@node-rs/argon2"] },
  build: {
    target: "es2022",
    rollupOptions: {
      // Resource routes (PDFs, exports, /progress) have no browser code: their empty chunks are expected.
      onwarn(warning, warn) {
        if (warning.code !== "EMPTY_BUNDLE") warn(warning);
      },
    },
  },
  environments: {
    // The server build's entry is app/server.ts: the React Router build plus the app's
    // start-up work, so the production server (server/) loads the app only through it.
    ssr: { build: { rollupOptions: { input: "./app/server.ts" } } },
  },
  plugins: [!process.env.VITEST && reactRouter()],
  test: {
    include: ["tests/unit/**/*.test.ts", "tests/integration/**/*.test.ts"],
    setupFiles: ["./tests/setup/test-env.ts"],
    pool: "forks",
    // Vitest's default is one fork fewer than the cores: one on a 2-core CI machine,
    // where the files wait on SQLite, subprocesses and timers as much as on the CPU.
    // Two forks take the suite from about 195 s to 150 s there.
    maxWorkers: Math.max(2, os.availableParallelism() - 1),
    // Several tests start the CLI scripts or a server as processes (tsx loads the app each
    // time): about 12 s for two of them beside another fork on 2 cores, so 20 s was too close.
    testTimeout: 60_000,
    // The outbox announces every email it writes; in tests that is noise.
    onConsoleLog: (log) => !log.startsWith("[mail]"),
    reporters: process.env.VITEST_JSON ? ["default", ["json", { outputFile: process.env.VITEST_JSON }]] : ["default"],
  },
});
