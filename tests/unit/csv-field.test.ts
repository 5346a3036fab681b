import { describe, expect, test } from "vitest";
import { csvField, csvLine, neutralise } from "#app/admin/exports.server.ts";

/** The one rule every CSV export writes its cells with (completions and the CE Broker roster). */
describe("csvField", () => {
  test("ordinary text is written as it is", () => {
    expect(csvField("Ana Pérez")).toBe("Ana Pérez");
    expect(csvField("")).toBe("");
    expect(csvField("a=b")).toBe("a=b");
    expect(csvField("State=CA")).toBe("State=CA");
    expect(csvField("it's")).toBe("it's");
  });

  test("a quote, comma or line break quotes the field, with quotes doubled", () => {
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("Smith, Jo")).toBe('"Smith, Jo"');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
    expect(csvField("two\r\nlines")).toBe('"two\r\nlines"');
    expect(csvField('"')).toBe('""""');
  });

  test.each([
    ["=SUM(A1:A9)", "'=SUM(A1:A9)"],
    ["+1 555 0100", "'+1 555 0100"],
    ["-2", "'-2"],
    ["@cmd", "'@cmd"],
    ["\tTab", "'\tTab"],
  ])("text starting with a formula character is neutralised: %j", (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });

  test("neutralising comes first, then quoting", () => {
    expect(csvField("\rCR")).toBe("\"'\rCR\"");
    expect(csvField('=HYPERLINK("http://x.example","click")')).toBe('"\'=HYPERLINK(""http://x.example"",""click"")"');
    expect(csvField("-1,2")).toBe("\"'-1,2\"");
  });

  test("numbers and dates are untouched, negative numbers included", () => {
    expect(csvField(3)).toBe("3");
    expect(csvField(0.25)).toBe("0.25");
    expect(csvField(-5)).toBe("-5");
    expect(csvField(0)).toBe("0");
    expect(csvField("2026-03-01")).toBe("2026-03-01");
    expect(csvField("3/1/2026")).toBe("3/1/2026");
  });

  test("an absent value is an empty field", () => {
    expect(csvField(null)).toBe("");
    expect(csvField(undefined)).toBe("");
  });

  test("csvLine joins fields with commas and ends with CRLF", () => {
    const values = ["a,b", 'say "hi"', 3, null, "=1+1", "", -2];
    expect(csvLine(values)).toBe(`${values.map(csvField).join(",")}\r\n`);
    expect(csvLine(values)).toBe('"a,b","say ""hi""",3,,\'=1+1,,-2\r\n');
    expect(csvLine([])).toBe("\r\n");
  });

  test("neutralise (used by the XLSX exports too) is the same formula rule, without quoting", () => {
    for (const value of ["=1", "+1", "-1", "@a", "\ta", "\ra", "a,b", 'q"', "", "ok"]) {
      const neutral = neutralise(value);
      expect(neutral).toBe(/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);
    }
  });
});
