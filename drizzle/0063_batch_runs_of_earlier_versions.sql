-- A pushed batch's run is marked (cursor.batch) since the batches were; before, it was a run of trigger
-- `api` without a cursor, as a listing asked for through the API is. One a process stopped in the middle
-- of (for the upgrade) was left running, and the runner resumed it as a listing of the source, which
-- deleted the objects pushed in. Such a run, running without a step done or a page logged (a listing
-- that began has either), is marked as the batch it was: the runner's recovery and the tick end it as an
-- interrupted batch (server/sync/run/pushed-batch.ts), never list the source for it. How many objects it
-- carried was not kept: 0.
UPDATE `runs` SET `cursor` = '{"batch":{"objects":0}}'
WHERE `trigger` = 'api' AND `status` = 'running' AND `cursor` IS NULL
  AND NOT EXISTS (SELECT 1 FROM `run_steps` WHERE `run_steps`.`run_id` = `runs`.`id`)
  AND NOT EXISTS (SELECT 1 FROM `run_events` WHERE `run_events`.`run_id` = `runs`.`id`);
