/** learner (default), author (writes and previews content), admin (CE administration). */
export const ROLES = ["learner", "author", "admin"] as const;
export type Role = (typeof ROLES)[number];
