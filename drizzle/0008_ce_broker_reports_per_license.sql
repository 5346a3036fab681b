CREATE TABLE `ce_broker_reports` (
	`certificate_id` text NOT NULL,
	`license_type` text NOT NULL,
	`license_number` text NOT NULL,
	`license_state` text NOT NULL,
	`reported_at` integer NOT NULL,
	PRIMARY KEY(`certificate_id`, `license_type`, `license_number`, `license_state`),
	FOREIGN KEY (`certificate_id`) REFERENCES `certificates`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
-- Hand-added: a certificate marked as reported was reported for every license it held at issue
-- (the roster had one row per license), so each of those licenses keeps that date.
INSERT INTO `ce_broker_reports` (`certificate_id`, `license_type`, `license_number`, `license_state`, `reported_at`)
SELECT c.`id`, l.value ->> '$.type', l.value ->> '$.number', l.value ->> '$.state', c.`reported_to_ce_broker_at`
FROM `certificates` c, json_each(c.`snapshot`, '$.licenses') l
WHERE c.`reported_to_ce_broker_at` IS NOT NULL AND l.value ->> '$.number' IS NOT NULL;--> statement-breakpoint
ALTER TABLE `certificates` DROP COLUMN `reported_to_ce_broker_at`;