CREATE TABLE `external_ce` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`provider` text NOT NULL,
	`title` text NOT NULL,
	`ce_hundredths` integer NOT NULL,
	`completed_on` text NOT NULL,
	`accrediting_body` text,
	`approval_number` text,
	`licenses` text NOT NULL,
	`file_name` text,
	`file_type` text,
	`file_data` blob,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `external_ce_user_idx` ON `external_ce` (`user_id`,`completed_on`);