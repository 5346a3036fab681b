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
  },
} satisfies Config;
