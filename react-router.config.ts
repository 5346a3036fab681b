import type { Config } from "@react-router/dev/config";

export default {
  ssr: true,
  // Every v8 behaviour now, so the next major release changes nothing here.
  future: {
    // Route middleware (app/middleware/): sessions, cross-site refusal, headers, body limits.
    v8_middleware: true,
    v8_splitRouteModules: true,
    v8_viteEnvironmentApi: true,
    v8_passThroughRequests: true,
    v8_trailingSlashAwareDataRequests: true,
    // Vite's dev server pre-bundles every route's dependencies at start-up. Without it,
    // it found some on a first page view and re-optimised, and that page loaded two
    // copies of React and never hydrated.
    unstable_optimizeDeps: true,
  },
} satisfies Config;
