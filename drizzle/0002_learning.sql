CREATE TABLE `attestations` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`course_id` text NOT NULL,
	`statement` text NOT NULL,
	`ip` text NOT NULL,
	`user_agent` text,
	`signed_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `attestations_user_course_unique` ON `attestations` (`user_id`,`course_id`);--> statement-breakpoint
CREATE TABLE `completions` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`course_id` text NOT NULL,
	`content_version` text NOT NULL,
	`ce_hours` real NOT NULL,
	`post_test_score` real NOT NULL,
	`active_seconds` integer NOT NULL,
	`completed_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `completions_user_course_unique` ON `completions` (`user_id`,`course_id`);--> statement-breakpoint
CREATE TABLE `enrollments` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`course_id` text NOT NULL,
	`content_version` text NOT NULL,
	`lesson_keys` text NOT NULL,
	`quiz_modules` text NOT NULL,
	`enrolled_at` integer NOT NULL,
	`last_lesson_key` text,
	`last_activity_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `enrollments_user_course_unique` ON `enrollments` (`user_id`,`course_id`);--> statement-breakpoint
CREATE TABLE `evaluations` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`course_id` text NOT NULL,
	`content_version` text NOT NULL,
	`responses` text NOT NULL,
	`submitted_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `evaluations_user_course_unique` ON `evaluations` (`user_id`,`course_id`);--> statement-breakpoint
CREATE TABLE `lesson_progress` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`course_id` text NOT NULL,
	`lesson_key` text NOT NULL,
	`first_seen_at` integer NOT NULL,
	`last_seen_at` integer NOT NULL,
	`active_seconds` integer DEFAULT 0 NOT NULL,
	`completed_at` integer,
	`completed_hash` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `lesson_progress_unique` ON `lesson_progress` (`user_id`,`course_id`,`lesson_key`);--> statement-breakpoint
CREATE TABLE `quiz_attempts` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`course_id` text NOT NULL,
	`module_slug` text NOT NULL,
	`quiz_version` text NOT NULL,
	`seed` integer NOT NULL,
	`questions` text NOT NULL,
	`pass_mark` real NOT NULL,
	`status` text NOT NULL,
	`answers` text,
	`results` text,
	`points` real,
	`max_points` real,
	`score` real,
	`passed` integer,
	`started_at` integer NOT NULL,
	`submitted_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `quiz_attempts_user_idx` ON `quiz_attempts` (`user_id`,`course_id`,`module_slug`);--> statement-breakpoint
CREATE UNIQUE INDEX `quiz_attempts_one_open` ON `quiz_attempts` (`user_id`,`course_id`,`module_slug`) WHERE status = 'open';