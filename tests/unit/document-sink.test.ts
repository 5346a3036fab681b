import { createElement } from "react";
import { renderToPipeableStream, renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { documentSink } from "#app/http/document-body.server.ts";

/** A page big enough that React writes it in many chunks (its buffer is 2 KB). */
function page(rows: number) {
  return createElement("html", null, createElement("body", null, Array.from({ length: rows }, (_, i) => createElement("p", { key: i, title: `ü ${i}` }, `Row ${i} <escaped> & "quoted"`))));
}

function render(element: ReturnType<typeof page>) {
  return new Promise<{ documents: Buffer[]; errors: unknown[] }>((resolve) => {
    const documents: Buffer[] = [];
    const errors: unknown[] = [];
    const sink = documentSink((d) => documents.push(d), (e) => errors.push(e));
    const { pipe } = renderToPipeableStream(element, {
      onAllReady() {
        pipe(sink as unknown as NodeJS.WritableStream);
        // React ends its destination synchronously within pipe(); give it a turn to end it again.
        setImmediate(() => resolve({ documents, errors }));
      },
    });
  });
}

describe("the document sink React renders into", () => {
  it("hands over the whole document once, byte for byte what React renders", async () => {
    const { documents, errors } = await render(page(500));
    expect(errors).toEqual([]);
    expect(documents).toHaveLength(1);
    expect(documents[0]!.length).toBeGreaterThan(20_000);
    expect(documents[0]!.toString("utf8")).toBe(`<!DOCTYPE html>${renderToString(page(500))}`);
  });

  it("ignores React's second end() and any write after the first", () => {
    const documents: string[] = [];
    const sink = documentSink((d) => documents.push(d.toString()), () => {});
    sink.write("a");
    sink.write(new TextEncoder().encode("b"));
    sink.end();
    sink.write("c");
    sink.end();
    expect(documents).toEqual(["ab"]);
  });

  it("reports a destroyed render, and a failure while finishing, instead of hanging", () => {
    const errors: unknown[] = [];
    const destroyed = documentSink(() => {}, (e) => errors.push(e));
    destroyed.write("partial");
    destroyed.destroy(new Error("render failed"));
    destroyed.end();
    const failing = documentSink(() => {
      throw new Error("finish failed");
    }, (e) => errors.push(e));
    failing.end();
    expect(errors.map((e) => (e as Error).message)).toEqual(["render failed", "finish failed"]);
  });

  it("takes every write at once, so React never waits for a drain", () => {
    const sink = documentSink(() => {}, () => {});
    expect(sink.write("x".repeat(1_000_000))).toBe(true);
    expect(sink.on("drain", () => {})).toBe(sink);
  });
});
