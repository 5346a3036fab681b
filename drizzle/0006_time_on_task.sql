CREATE TABLE `activity_clock` (
	`user_id` text PRIMARY KEY NOT NULL,
	`course_id` text NOT NULL,
	`lesson_key` text NOT NULL,
	`last_beat_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `completions` ADD `minimum_seconds` integer;