CREATE TABLE `certificates` (
	`id` text PRIMARY KEY NOT NULL,
	`public_id` text NOT NULL,
	`user_id` text NOT NULL,
	`course_id` text NOT NULL,
	`completion_id` text NOT NULL,
	`snapshot` text NOT NULL,
	`credential` text,
	`status` text DEFAULT 'valid' NOT NULL,
	`issued_at` integer NOT NULL,
	`revoked_at` integer,
	`revoked_reason` text,
	`replaces_id` text,
	`replaced_by_id` text,
	`reported_to_ce_broker_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`completion_id`) REFERENCES `completions`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE UNIQUE INDEX `certificates_public_id_unique` ON `certificates` (`public_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `certificates_original_unique` ON `certificates` (`user_id`,`course_id`) WHERE replaces_id is null;--> statement-breakpoint
CREATE INDEX `certificates_course_idx` ON `certificates` (`course_id`,`issued_at`);