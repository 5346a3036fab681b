CREATE TABLE `assignment_reviews` (
	`id` text PRIMARY KEY NOT NULL,
	`submission_id` text NOT NULL,
	`mentor_id` text NOT NULL,
	`outcome` text NOT NULL,
	`scores` text NOT NULL,
	`comment` text NOT NULL,
	`reviewed_at` integer NOT NULL,
	FOREIGN KEY (`submission_id`) REFERENCES `assignment_submissions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`mentor_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `assignment_reviews_submission_unique` ON `assignment_reviews` (`submission_id`);--> statement-breakpoint
CREATE INDEX `assignment_reviews_mentor_idx` ON `assignment_reviews` (`mentor_id`,`reviewed_at`);--> statement-breakpoint
CREATE TABLE `assignment_submissions` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`course_id` text NOT NULL,
	`module_slug` text NOT NULL,
	`lesson_slug` text NOT NULL,
	`assignment_id` text NOT NULL,
	`assignment_hash` text NOT NULL,
	`version` integer NOT NULL,
	`body` text NOT NULL,
	`word_count` integer NOT NULL,
	`status` text DEFAULT 'submitted' NOT NULL,
	`claimed_by` text,
	`claimed_at` integer,
	`submit_token` text NOT NULL,
	`submitted_at` integer NOT NULL,
	`reviewed_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`claimed_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `assignment_submissions_thread_version_unique` ON `assignment_submissions` (`user_id`,`course_id`,`module_slug`,`lesson_slug`,`version`);--> statement-breakpoint
CREATE UNIQUE INDEX `assignment_submissions_token_unique` ON `assignment_submissions` (`user_id`,`submit_token`);--> statement-breakpoint
CREATE INDEX `assignment_submissions_queue_idx` ON `assignment_submissions` (`status`,`submitted_at`);