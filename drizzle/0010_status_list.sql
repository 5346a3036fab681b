CREATE TABLE `status_lists` (
	`id` text PRIMARY KEY NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`signed` text,
	`signed_version` integer DEFAULT 0 NOT NULL,
	`signed_at` integer
);
--> statement-breakpoint
ALTER TABLE `certificates` ADD `status_list_index` integer;--> statement-breakpoint
CREATE UNIQUE INDEX `certificates_status_list_index_unique` ON `certificates` (`status_list_index`);--> statement-breakpoint
-- Backfill: every existing certificate gets a distinct random index among the list's 131,072 (herd privacy: an index says nothing about issue order).
CREATE TABLE `_status_slots` AS WITH RECURSIVE n(i) AS (SELECT 0 WHERE EXISTS (SELECT 1 FROM `certificates`) UNION ALL SELECT i + 1 FROM n WHERE i < 131071) SELECT i AS `slot`, row_number() OVER (ORDER BY random()) AS `rn` FROM n;--> statement-breakpoint
CREATE TABLE `_status_order` AS SELECT `id`, row_number() OVER (ORDER BY random()) AS `rn` FROM `certificates`;--> statement-breakpoint
UPDATE `certificates` SET `status_list_index` = (SELECT s.`slot` FROM `_status_order` o JOIN `_status_slots` s ON s.`rn` = o.`rn` WHERE o.`id` = `certificates`.`id`);--> statement-breakpoint
DROP TABLE `_status_order`;--> statement-breakpoint
DROP TABLE `_status_slots`;--> statement-breakpoint
-- Credentials signed before this migration carry no credentialStatus: cleared, they are signed again (with it) on the next download.
UPDATE `certificates` SET `credential` = NULL;
