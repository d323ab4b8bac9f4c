-- One row per dataset, kept with each new version, so listing datasets does not scan every version.
CREATE TABLE datasets (
  dataset TEXT PRIMARY KEY,
  versions BIGINT NOT NULL,
  latest_ms BIGINT NOT NULL,
  latest_id TEXT NOT NULL
);
INSERT INTO datasets (dataset, versions, latest_ms, latest_id)
  SELECT v.dataset, COUNT(*), MAX(v.time_ms),
         (SELECT w.id FROM dataset_versions w WHERE w.dataset = v.dataset ORDER BY w.time_ms DESC, w.id DESC LIMIT 1)
  FROM dataset_versions v GROUP BY v.dataset;
