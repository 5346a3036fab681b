/** learner (default), author (writes and previews content), admin (CE administration), mentor (reviews case work). */
export const ROLES = ["learner", "author", "admin", "mentor"] as const;
export type Role = (typeof ROLES)[number];

/** Authors and admins see draft lessons (marked as drafts); learners never do. */
export function canSeeDrafts(user: { role: Role } | null | undefined): boolean {
  return user?.role === "author" || user?.role === "admin";
}

/** Mentors work the review queue of case-work submissions; admins may too. */
export function canMentor(user: { role: Role } | null | undefined): boolean {
  return user?.role === "mentor" || user?.role === "admin";
}
