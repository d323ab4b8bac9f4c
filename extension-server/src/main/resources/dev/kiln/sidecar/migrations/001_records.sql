-- Snapshots, dataset versions with their lineage, and runs with the datasets they used.
-- Each table keeps the record as it came (body, JSON text) plus the columns the pages query by.
CREATE TABLE snapshots (
  id TEXT PRIMARY KEY,
  notebook TEXT,
  time_ms BIGINT NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX snapshots_by_notebook ON snapshots (notebook, time_ms, id);
CREATE INDEX snapshots_by_time ON snapshots (time_ms, id);

CREATE TABLE dataset_versions (
  dataset TEXT NOT NULL,
  id TEXT NOT NULL,
  parent TEXT,
  manifest TEXT,
  size BIGINT NOT NULL,
  files BIGINT NOT NULL,
  row_count BIGINT,
  message TEXT,
  author TEXT,
  time_ms BIGINT NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (dataset, id)
);
CREATE INDEX dataset_versions_by_time ON dataset_versions (dataset, time_ms, id);

CREATE TABLE lineage (
  dataset TEXT NOT NULL,
  version TEXT NOT NULL,
  source_dataset TEXT NOT NULL,
  source_version TEXT NOT NULL,
  PRIMARY KEY (dataset, version, source_dataset, source_version)
);
CREATE INDEX lineage_by_source ON lineage (source_dataset, source_version);

CREATE TABLE runs (
  id TEXT PRIMARY KEY,
  notebook TEXT NOT NULL,
  session TEXT,
  start_ms BIGINT NOT NULL,
  end_ms BIGINT,
  snapshot TEXT,
  body TEXT NOT NULL
);
CREATE INDEX runs_by_notebook ON runs (notebook, start_ms, id);
CREATE INDEX runs_by_start ON runs (start_ms, id);

CREATE TABLE run_datasets (
  run_id TEXT NOT NULL,
  dataset TEXT NOT NULL,
  version TEXT NOT NULL,
  PRIMARY KEY (run_id, dataset, version)
);
CREATE INDEX run_datasets_by_version ON run_datasets (dataset, version);
