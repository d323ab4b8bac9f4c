-- Every record belongs to a project: its data remote's URL, or its folder where it has none; '' for
-- records kept before projects were recorded (shown as "(unknown project)"). Two projects with a
-- dataset of the same name are two histories, so the project is part of every key.
-- Runs also get how they ended (running, ended, lost) and when their kernel was last heard from.
CREATE TABLE snapshots_p (
  project TEXT NOT NULL,
  id TEXT NOT NULL,
  notebook TEXT,
  time_ms BIGINT NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (project, id)
);
INSERT INTO snapshots_p (project, id, notebook, time_ms, body) SELECT '', id, notebook, time_ms, body FROM snapshots;
DROP TABLE snapshots;
ALTER TABLE snapshots_p RENAME TO snapshots;
CREATE INDEX snapshots_by_project_notebook ON snapshots (project, notebook, time_ms, id);
CREATE INDEX snapshots_by_project_time ON snapshots (project, time_ms, id);
CREATE INDEX snapshots_by_time_p ON snapshots (time_ms, id);
CREATE INDEX snapshots_by_id ON snapshots (id);

CREATE TABLE dataset_versions_p (
  project TEXT NOT NULL,
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
  PRIMARY KEY (project, dataset, id)
);
INSERT INTO dataset_versions_p (project, dataset, id, parent, manifest, size, files, row_count, message, author, time_ms, body)
  SELECT '', dataset, id, parent, manifest, size, files, row_count, message, author, time_ms, body FROM dataset_versions;
DROP TABLE dataset_versions;
ALTER TABLE dataset_versions_p RENAME TO dataset_versions;
CREATE INDEX dataset_versions_by_project_time ON dataset_versions (project, dataset, time_ms, id);

CREATE TABLE datasets_p (
  project TEXT NOT NULL,
  dataset TEXT NOT NULL,
  versions BIGINT NOT NULL,
  latest_ms BIGINT NOT NULL,
  latest_id TEXT NOT NULL,
  PRIMARY KEY (project, dataset)
);
INSERT INTO datasets_p (project, dataset, versions, latest_ms, latest_id)
  SELECT '', dataset, versions, latest_ms, latest_id FROM datasets;
DROP TABLE datasets;
ALTER TABLE datasets_p RENAME TO datasets;

CREATE TABLE lineage_p (
  project TEXT NOT NULL,
  dataset TEXT NOT NULL,
  version TEXT NOT NULL,
  source_dataset TEXT NOT NULL,
  source_version TEXT NOT NULL,
  PRIMARY KEY (project, dataset, version, source_dataset, source_version)
);
INSERT INTO lineage_p (project, dataset, version, source_dataset, source_version)
  SELECT '', dataset, version, source_dataset, source_version FROM lineage;
DROP TABLE lineage;
ALTER TABLE lineage_p RENAME TO lineage;
CREATE INDEX lineage_by_project_source ON lineage (project, source_dataset, source_version);

ALTER TABLE runs ADD COLUMN project TEXT NOT NULL DEFAULT '';
ALTER TABLE runs ADD COLUMN status TEXT NOT NULL DEFAULT 'running';
ALTER TABLE runs ADD COLUMN heartbeat_ms BIGINT;
UPDATE runs SET status = 'ended' WHERE end_ms IS NOT NULL;
CREATE INDEX runs_by_project_notebook ON runs (project, notebook, start_ms, id);
CREATE INDEX runs_by_status ON runs (status);
