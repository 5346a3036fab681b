/**
 * License types offered at sign-up and in the profile: the designations state boards
 * issue, grouped by profession. Codes are stored as they are (licenses.type) and used
 * by boards and CE Broker; labels are what a clinician recognises. Degrees (PsyD,
 * PhD, EdD, MSW...) are not licenses and are not offered: a psychologist holds the
 * "Licensed Psychologist" designation (migration 0009 moved PsyD/PhD rows to it).
 * "Other" takes the designation as free text, which is then stored as the type.
 */
export const OTHER_LICENSE_TYPE = "Other";
export const PSYCHOLOGIST = "Psychologist";

export const LICENSE_TYPES = [
  { code: "LPC", label: "LPC: Licensed Professional Counselor", profession: "Counseling" },
  { code: "LPCC", label: "LPCC: Licensed Professional Clinical Counselor", profession: "Counseling" },
  { code: "LMHC", label: "LMHC: Licensed Mental Health Counselor", profession: "Counseling" },
  { code: "LCPC", label: "LCPC: Licensed Clinical Professional Counselor", profession: "Counseling" },
  { code: "LADC", label: "LADC: Licensed Alcohol and Drug Counselor", profession: "Counseling" },
  { code: "LMFT", label: "LMFT: Licensed Marriage and Family Therapist", profession: "Marriage and family therapy" },
  { code: "LCSW", label: "LCSW: Licensed Clinical Social Worker", profession: "Social work" },
  { code: "LICSW", label: "LICSW: Licensed Independent Clinical Social Worker", profession: "Social work" },
  { code: "LISW", label: "LISW: Licensed Independent Social Worker", profession: "Social work" },
  { code: "LMSW", label: "LMSW: Licensed Master Social Worker", profession: "Social work" },
  { code: PSYCHOLOGIST, label: "Licensed Psychologist", profession: "Psychology" },
  { code: "MD", label: "MD: Physician", profession: "Medicine" },
  { code: "DO", label: "DO: Osteopathic Physician", profession: "Medicine" },
  { code: "PA", label: "PA: Physician Assistant", profession: "Medicine" },
  { code: "NP", label: "NP: Nurse Practitioner", profession: "Nursing" },
  { code: "APRN", label: "APRN: Advanced Practice Registered Nurse", profession: "Nursing" },
  { code: "RN", label: "RN: Registered Nurse", profession: "Nursing" },
  { code: "PharmD", label: "PharmD: Licensed Pharmacist", profession: "Pharmacy" },
  { code: OTHER_LICENSE_TYPE, label: "Other (enter the designation)", profession: "Other" },
] as const;

export const LICENSE_TYPE_CODES = LICENSE_TYPES.map((t) => t.code) as [string, ...string[]];

/** The listed types, grouped by profession in list order (for <optgroup>s). */
export const LICENSE_TYPE_GROUPS: Array<{ profession: string; types: Array<(typeof LICENSE_TYPES)[number]> }> = [];
for (const t of LICENSE_TYPES) {
  const group = LICENSE_TYPE_GROUPS.find((g) => g.profession === t.profession);
  if (group) group.types.push(t);
  else LICENSE_TYPE_GROUPS.push({ profession: t.profession, types: [t] });
}

/** The listed code a free-text designation names (case and dots ignored), if any. */
export function listedLicenseType(text: string): string | undefined {
  const key = text.replace(/[.\s]/g, "").toLowerCase();
  if (key === "licensedpsychologist") return PSYCHOLOGIST;
  return LICENSE_TYPES.find((t) => t.code !== OTHER_LICENSE_TYPE && t.code.toLowerCase() === key)?.code;
}

/** Academic degrees, refused as a license designation. */
export const DEGREES = ["PsyD", "PhD", "EdD", "DSW", "MSW", "MA", "MS", "MEd", "BA", "BS", "MDiv"];

export const US_JURISDICTIONS = [
  ["AL", "Alabama"], ["AK", "Alaska"], ["AZ", "Arizona"], ["AR", "Arkansas"],
  ["CA", "California"], ["CO", "Colorado"], ["CT", "Connecticut"], ["DE", "Delaware"],
  ["DC", "District of Columbia"], ["FL", "Florida"], ["GA", "Georgia"], ["HI", "Hawaii"],
  ["ID", "Idaho"], ["IL", "Illinois"], ["IN", "Indiana"], ["IA", "Iowa"], ["KS", "Kansas"],
  ["KY", "Kentucky"], ["LA", "Louisiana"], ["ME", "Maine"], ["MD", "Maryland"],
  ["MA", "Massachusetts"], ["MI", "Michigan"], ["MN", "Minnesota"], ["MS", "Mississippi"],
  ["MO", "Missouri"], ["MT", "Montana"], ["NE", "Nebraska"], ["NV", "Nevada"],
  ["NH", "New Hampshire"], ["NJ", "New Jersey"], ["NM", "New Mexico"], ["NY", "New York"],
  ["NC", "North Carolina"], ["ND", "North Dakota"], ["OH", "Ohio"], ["OK", "Oklahoma"],
  ["OR", "Oregon"], ["PA", "Pennsylvania"], ["RI", "Rhode Island"], ["SC", "South Carolina"],
  ["SD", "South Dakota"], ["TN", "Tennessee"], ["TX", "Texas"], ["UT", "Utah"],
  ["VT", "Vermont"], ["VA", "Virginia"], ["WA", "Washington"], ["WV", "West Virginia"],
  ["WI", "Wisconsin"], ["WY", "Wyoming"], ["AS", "American Samoa"], ["GU", "Guam"],
  ["MP", "Northern Mariana Islands"], ["PR", "Puerto Rico"], ["VI", "U.S. Virgin Islands"],
] as const;

export const JURISDICTION_CODES = US_JURISDICTIONS.map(([code]) => code) as [string, ...string[]];
export const MAX_LICENSES = 10;
