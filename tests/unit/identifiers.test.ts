import { describe, expect, test } from "vitest";
import { describeFindings, findIdentifiers } from "#app/mentoring/identifiers.ts";

const kinds = (text: string) => findIdentifiers(text).map((f) => f.kind);

describe("identifier detector", () => {
  test.each([
    ["DOB: 03/14/1985, referred by her GP.", "date-of-birth"],
    ["Client was born on March 14, 1985 in Ohio.", "date-of-birth"],
    ["date of birth 14 March 1985", "date-of-birth"],
    ["First session was 2024-02-19.", "date"],
    ["Seen on 3/14/24 for intake.", "date"],
    ["Seen on 14.03.2024 for intake.", "date"],
    ["The crisis began Jan. 5, 2023.", "date"],
    ["Call her at (503) 555-0142 if needed.", "phone"],
    ["Her mobile is 503-555-0142.", "phone"],
    ["Her mobile is +1 503.555.0142.", "phone"],
    ["She emailed from jane.doe+kap@example.org yesterday.", "email"],
    ["She lives at 1423 Maple Grove Avenue with her partner.", "address"],
    ["Moved to 12 Oak St. last year.", "address"],
    ["SSN 123-45-6789 on the intake form.", "ssn"],
  ])("finds %j", (text, kind) => {
    expect(kinds(text)).toEqual([kind]);
  });

  test.each([
    "PHQ-9 of 14 at intake, GAD-7 of 11; PCL-5 of 42.",
    "In session 3 on day 2 after dosing she described the experience as 'a wide sky'.",
    "84 mg sublingual ketamine (two 42 mg lozenges); 0.5 mg/kg IM in the clinic protocol.",
    "A woman in her 40s, two children aged 8-12, referred in early spring 2024 after 3 failed SSRI trials.",
    "Blood pressure 142/91 at 40 minutes, 128/84 at 90 minutes; HR 88.",
    "She scored 7/10 on distress, up 2-3 points from baseline, over 6 to 8 weeks.",
    "We met 3 times over 10 days; the next review is in 2 weeks.",
    "Integration focused on the 12 steps of her recovery programme and 3 core values.",
    "Born and raised in the Midwest, she has 2 siblings and worked 20 years as a nurse.",
  ])("lets clinical text pass: %j", (text) => {
    expect(findIdentifiers(text)).toEqual([]);
  });

  test("reports each finding at its line and column, in reading order", () => {
    const text = "Formulation.\nCall 503-555-0142 or\nwrite to a@b.co.";
    const found = findIdentifiers(text);
    expect(found).toEqual([
      { kind: "phone", label: "a phone number", text: "503-555-0142", line: 2, col: 6 },
      { kind: "email", label: "an email address", text: "a@b.co", line: 3, col: 10 },
    ]);
    expect(describeFindings(found)).toBe(
      'Your text seems to contain identifying client data: a phone number on line 2, column 6 ("503-555-0142"); an email address on line 3, column 10 ("a@b.co"). Remove or generalise it (e.g. "a woman in her 40s", "early spring") and submit again. Nothing was saved.',
    );
  });
});
