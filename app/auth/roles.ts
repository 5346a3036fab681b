/** learner (default), author (writes and previews content), admin (CE administration). */
export const ROLES = ["learner", "author", "admin"] as const;
export type Role = (typeof ROLES)[number];

/** Authors and admins see draft lessons (marked as drafts); learners never do. */
export function canSeeDrafts(user: { role: Role } | null | undefined): boolean {
  return user?.role === "author" || user?.role === "admin";
}
