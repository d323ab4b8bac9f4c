-- Notes people add to a run from its notebook's history page.
CREATE TABLE run_notes (
  run_id TEXT NOT NULL,
  time_ms BIGINT NOT NULL,
  note TEXT NOT NULL
);
CREATE INDEX run_notes_by_run ON run_notes (run_id, time_ms);
