-- The resume point is the lesson seen last (lesson_progress.last_seen_at), so a lesson view
-- writes one row instead of two; enrollments no longer keep their own copy.
ALTER TABLE `enrollments` DROP COLUMN `last_lesson_key`;--> statement-breakpoint
ALTER TABLE `enrollments` DROP COLUMN `last_activity_at`;