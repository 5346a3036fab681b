/**
 * License types and jurisdictions offered at sign-up. Codes are what boards and
 * CE Broker use; labels are what a clinician recognises.
 */
export const LICENSE_TYPES = [
  { code: "LPC", label: "LPC: Licensed Professional Counselor" },
  { code: "LPCC", label: "LPCC: Licensed Professional Clinical Counselor" },
  { code: "LMHC", label: "LMHC: Licensed Mental Health Counselor" },
  { code: "LCPC", label: "LCPC: Licensed Clinical Professional Counselor" },
  { code: "LMFT", label: "LMFT: Licensed Marriage and Family Therapist" },
  { code: "LCSW", label: "LCSW: Licensed Clinical Social Worker" },
  { code: "LICSW", label: "LICSW: Licensed Independent Clinical Social Worker" },
  { code: "LISW", label: "LISW: Licensed Independent Social Worker" },
  { code: "LMSW", label: "LMSW: Licensed Master Social Worker" },
  { code: "PsyD", label: "PsyD: Psychologist (Doctor of Psychology)" },
  { code: "PhD", label: "PhD: Psychologist (Doctor of Philosophy)" },
  { code: "LADC", label: "LADC: Licensed Alcohol and Drug Counselor" },
  { code: "MD", label: "MD: Physician" },
  { code: "DO", label: "DO: Osteopathic Physician" },
  { code: "NP", label: "NP: Nurse Practitioner" },
  { code: "APRN", label: "APRN: Advanced Practice Registered Nurse" },
  { code: "PA", label: "PA: Physician Assistant" },
  { code: "RN", label: "RN: Registered Nurse" },
] as const;

export const LICENSE_TYPE_CODES = LICENSE_TYPES.map((t) => t.code) as [string, ...string[]];

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
