CREATE TABLE `case_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`course_id` text NOT NULL,
	`module_slug` text NOT NULL,
	`case_slug` text NOT NULL,
	`case_version` text NOT NULL,
	`snapshot` text NOT NULL,
	`current_scene` text NOT NULL,
	`status` text NOT NULL,
	`outcome` text,
	`started_at` integer NOT NULL,
	`finished_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `case_runs_user_idx` ON `case_runs` (`user_id`,`course_id`,`module_slug`,`case_slug`);--> statement-breakpoint
CREATE INDEX `case_runs_case_idx` ON `case_runs` (`course_id`,`module_slug`,`case_slug`,`case_version`);--> statement-breakpoint
CREATE UNIQUE INDEX `case_runs_one_open` ON `case_runs` (`user_id`,`course_id`,`module_slug`,`case_slug`) WHERE status = 'open';--> statement-breakpoint
CREATE TABLE `case_steps` (
	`id` text PRIMARY KEY NOT NULL,
	`run_id` text NOT NULL,
	`seq` integer NOT NULL,
	`scene_id` text NOT NULL,
	`choice_id` text NOT NULL,
	`to_scene` text NOT NULL,
	`rating` text NOT NULL,
	`retracted` integer DEFAULT false NOT NULL,
	`chosen_at` integer NOT NULL,
	FOREIGN KEY (`run_id`) REFERENCES `case_runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `case_steps_run_seq` ON `case_steps` (`run_id`,`seq`);