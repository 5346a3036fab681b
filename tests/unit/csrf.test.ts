import { describe, expect, test } from "vitest";
import { crossSiteRefusal } from "#app/middleware/cross-site.ts";

const own = "http://localhost:3000";

describe("cross-site request refusal", () => {
  test("safe methods always pass", () => {
    for (const method of ["GET", "HEAD", "OPTIONS"]) {
      expect(crossSiteRefusal({ method, ownOrigin: own, origin: "https://evil.example", secFetchSite: "cross-site" })).toBeNull();
    }
  });

  test("a same-origin POST passes", () => {
    expect(crossSiteRefusal({ method: "POST", ownOrigin: own, origin: own, secFetchSite: "same-origin" })).toBeNull();
    expect(crossSiteRefusal({ method: "POST", ownOrigin: own, origin: own, secFetchSite: null })).toBeNull();
    expect(crossSiteRefusal({ method: "POST", ownOrigin: own, origin: null, secFetchSite: "same-origin" })).toBeNull();
  });

  test("a POST from another site is refused, whichever header tells", () => {
    expect(crossSiteRefusal({ method: "POST", ownOrigin: own, origin: "https://evil.example", secFetchSite: "cross-site" })).toMatch(/another site/);
    expect(crossSiteRefusal({ method: "POST", ownOrigin: own, origin: null, secFetchSite: "same-site" })).toMatch(/same-site/);
    expect(crossSiteRefusal({ method: "DELETE", ownOrigin: own, origin: "https://evil.example", secFetchSite: null })).toMatch(/another origin/);
    // Same host, other scheme or port, is another origin.
    expect(crossSiteRefusal({ method: "POST", ownOrigin: own, origin: "http://localhost:4000", secFetchSite: null })).not.toBeNull();
  });

  test("a POST without Origin or Sec-Fetch-Site is refused", () => {
    expect(crossSiteRefusal({ method: "POST", ownOrigin: own, origin: undefined, secFetchSite: undefined })).toMatch(/without an Origin/);
  });
});
