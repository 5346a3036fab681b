import type { RouteConfig } from "@react-router/dev/routes";
import { flatRoutes } from "@react-router/fs-routes";

/** Routes are files in app/routes/, named by the flat-routes convention (`courses.$courseId._index.tsx`). */
export default flatRoutes({ ignoredRouteFiles: ["**/*.test.*", "**/*.server.*"] }) satisfies RouteConfig;
