-- License types are designations, not degrees: "PsyD" and "PhD" become "Psychologist"
-- (app/auth/licenses.ts). A learner who listed the same license under both keeps one row.
DELETE FROM `licenses` WHERE `type` IN ('PsyD', 'PhD') AND EXISTS (
  SELECT 1 FROM `licenses` o WHERE o.`user_id` = `licenses`.`user_id` AND o.`number` = `licenses`.`number` AND o.`state` = `licenses`.`state`
    AND (o.`type` = 'Psychologist' OR (o.`type` IN ('PsyD', 'PhD') AND o.`rowid` < `licenses`.`rowid`))
);--> statement-breakpoint
UPDATE `licenses` SET `type` = 'Psychologist' WHERE `type` IN ('PsyD', 'PhD');--> statement-breakpoint
-- Sign-ups waiting for their emailed link hold their licenses as JSON; they are created with the new type.
UPDATE `pending_signups` SET `licenses` = (
  SELECT json_group_array(CASE WHEN l.value ->> '$.type' IN ('PsyD', 'PhD') THEN json_set(l.value, '$.type', 'Psychologist') ELSE json(l.value) END)
  FROM json_each(`pending_signups`.`licenses`) l
) WHERE EXISTS (SELECT 1 FROM json_each(`pending_signups`.`licenses`) l WHERE l.value ->> '$.type' IN ('PsyD', 'PhD'));
-- Issued certificates keep the license as printed and signed (their snapshot is immutable);
-- app/admin/ce-broker.ts maps those old types to the psychologist profession code.
