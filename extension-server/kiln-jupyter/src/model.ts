/*
 * What Kiln's panel, status bar and badges show, as plain values: read from the sidecar's JSON,
 * kiln.lock and the metadata.kiln of a magic's output. Nothing here touches JupyterLab, so the
 * unit tests exercise it whole.
 */

/** A dataset the sidecar has versions of (GET /kiln/api/datasets). */
export interface DatasetSummary {
  dataset: string;
  versions: number;
  latestTime: string;
  latestSize: number;
  latestRows?: number;
}

/** One version as the sidecar keeps it. */
export interface VersionRecord {
  dataset: string;
  id: string;
  parent?: string;
  message?: string;
  author?: string;
  time: string;
  size: number;
  files: number;
  rows?: number;
}

/** A slice of a dataset's versions, newest first (GET /kiln/api/lab/datasets/NAME/versions). */
export interface VersionPage {
  dataset: string;
  total: number;
  offset: number;
  versions: VersionRecord[];
}

export interface SnapshotRecord {
  id: string;
  notebook?: string;
  time?: string;
}

export interface DatasetRef {
  dataset: string;
  version: string;
}

export interface RunRecord {
  id: string;
  notebook: string;
  start: string;
  end?: string;
  snapshot?: string;
  datasets?: DatasetRef[];
  /** running / ended / lost, when the sidecar says (newer sidecars do). */
  state?: string;
}

/** One dataset kiln.lock pins. */
export interface PinnedDataset {
  dataset: string;
  path: string;
  version: string;
  manifest?: string;
  size?: number;
  files?: number;
}

/** How a pinned dataset's files compare with its version (metadata.kiln.workspace of %data status). */
export interface WorkspaceState {
  dataset: string;
  version: string;
  path: string;
  clean: boolean;
  modified: number;
  added: number;
  missing: number;
  objectsNotCached: number;
}

/** The environment compared with a snapshot (metadata.kiln.envCheck of %env check). */
export interface EnvCheck {
  level: 'identical' | 'compatible' | 'differs';
  against: string;
  current: string;
  reasons: string[];
}

/** What an output's metadata.kiln says produced it. */
export interface OutputProvenance {
  command: string | null;
  datasets: DatasetVersionRef[];
  lineage: DatasetVersionRef[];
  snapshot: string | null;
  settings: Record<string, unknown>;
  warning: string | null;
}

export interface DatasetVersionRef {
  dataset: string;
  version: string;
  path?: string;
  subpath?: string;
}

/** The sidecar's and Kiln's names: letters, digits and . _ : -, as the sidecar checks them. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

export function isName(s: unknown): s is string {
  return typeof s === 'string' && NAME.test(s);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function text(o: Record<string, unknown>, key: string): string | undefined {
  const v = o[key];
  return typeof v === 'string' ? v : undefined;
}

function count(o: Record<string, unknown>, key: string): number | undefined {
  const v = o[key];
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined;
}

/** kiln.lock, as LockFile writes it: {"format": 1, "datasets": {name: {path, version, manifest, size, files}}}. */
export function parseLock(json: string): PinnedDataset[] {
  let doc: unknown;
  try {
    doc = JSON.parse(json);
  } catch (e) {
    throw new Error(`kiln.lock is not valid JSON (${(e as Error).message}): restore it from git or fix it by hand`);
  }
  if (!isObject(doc) || !isObject(doc.datasets)) {
    throw new Error('kiln.lock has no "datasets" object: restore it from git or fix it by hand');
  }
  const out: PinnedDataset[] = [];
  for (const [dataset, entry] of Object.entries(doc.datasets)) {
    if (!isObject(entry) || !isName(dataset)) {
      continue;
    }
    const version = text(entry, 'version');
    const path = text(entry, 'path');
    if (version === undefined || path === undefined) {
      continue;
    }
    out.push({
      dataset,
      path,
      version,
      manifest: text(entry, 'manifest'),
      size: count(entry, 'size'),
      files: count(entry, 'files')
    });
  }
  return out.sort((a, b) => a.dataset.localeCompare(b.dataset));
}

/** metadata.kiln.workspace of a %data status output; empty when the output has none. */
export function readWorkspace(kiln: unknown): WorkspaceState[] {
  if (!isObject(kiln) || !Array.isArray(kiln.workspace)) {
    return [];
  }
  const out: WorkspaceState[] = [];
  for (const w of kiln.workspace) {
    if (!isObject(w) || !isName(w.dataset) || typeof w.clean !== 'boolean') {
      continue;
    }
    out.push({
      dataset: w.dataset,
      version: text(w, 'version') ?? '',
      path: text(w, 'path') ?? '',
      clean: w.clean,
      modified: count(w, 'modified') ?? 0,
      added: count(w, 'added') ?? 0,
      missing: count(w, 'missing') ?? 0,
      objectsNotCached: count(w, 'objectsNotCached') ?? 0
    });
  }
  return out;
}

/** metadata.kiln.envCheck of a %env check output; null when the output has none. */
export function readEnvCheck(kiln: unknown): EnvCheck | null {
  if (!isObject(kiln) || !isObject(kiln.envCheck)) {
    return null;
  }
  const c = kiln.envCheck;
  const level = c.level;
  if (level !== 'identical' && level !== 'compatible' && level !== 'differs') {
    return null;
  }
  const reasons = Array.isArray(c.reasons) ? c.reasons.filter((r): r is string => typeof r === 'string') : [];
  return { level, against: text(c, 'against') ?? '', current: text(c, 'current') ?? '', reasons };
}

function refs(v: unknown): DatasetVersionRef[] {
  if (!Array.isArray(v)) {
    return [];
  }
  const out: DatasetVersionRef[] = [];
  for (const d of v) {
    if (isObject(d) && isName(d.dataset) && typeof d.version === 'string') {
      out.push({ dataset: d.dataset, version: d.version, path: text(d, 'path'), subpath: text(d, 'subpath') });
    }
  }
  return out;
}

/**
 * An output's metadata.kiln as every Kiln version wrote it (ProvenanceJson in Java is the other
 * reader): a data command's versions under "data", a snapshot under "snapshot", a conversion's
 * settings under "settings"; null when there is nothing to show.
 */
export function readProvenance(kiln: unknown): OutputProvenance | null {
  if (!isObject(kiln) || Object.keys(kiln).length === 0) {
    return null;
  }
  const data = isObject(kiln.data) ? kiln.data : {};
  const snapshot = isObject(kiln.snapshot) && typeof kiln.snapshot.id === 'string' ? kiln.snapshot.id : null;
  const p: OutputProvenance = {
    command: text(kiln, 'command') ?? text(data, 'command') ?? null,
    datasets: refs(data.datasets),
    lineage: refs(data.lineage),
    snapshot,
    settings: isObject(kiln.settings) ? kiln.settings : {},
    warning: text(data, 'warning') ?? null
  };
  if (p.command === null && isObject(kiln.envCheck)) {
    p.command = 'env check';
  }
  if (p.command === null && snapshot !== null) {
    p.command = 'env snapshot';
  }
  const empty = p.datasets.length === 0 && p.lineage.length === 0 && p.snapshot === null
    && Object.keys(p.settings).length === 0 && p.warning === null;
  return empty ? null : p;
}

/** A row of the panel's dataset list: what the project pins, what the sidecar has, and the workspace. */
export interface DatasetRow {
  dataset: string;
  pinned: PinnedDataset | null;
  /** null when the kernel has not said (no kernel yet, or it is busy). */
  workspace: WorkspaceState | null;
  history: DatasetSummary | null;
}

/** The project's datasets (kiln.lock) first, in name order, then those only the sidecar knows. */
export function datasetRows(pinned: PinnedDataset[], workspace: WorkspaceState[], history: DatasetSummary[]): DatasetRow[] {
  const byName = new Map<string, DatasetRow>();
  for (const p of pinned) {
    byName.set(p.dataset, { dataset: p.dataset, pinned: p, workspace: null, history: null });
  }
  for (const w of workspace) {
    const row = byName.get(w.dataset);
    // a state for another version than the one pinned now is stale: leave it out
    if (row && row.pinned && row.pinned.version === w.version) {
      row.workspace = w;
    }
  }
  const others: DatasetRow[] = [];
  for (const h of history) {
    const row = byName.get(h.dataset);
    if (row) {
      row.history = h;
    } else {
      others.push({ dataset: h.dataset, pinned: null, workspace: null, history: h });
    }
  }
  const sorted = (rows: DatasetRow[]) => rows.sort((a, b) => a.dataset.localeCompare(b.dataset));
  return [...sorted([...byName.values()]), ...sorted(others)];
}

/** How the workspace stands against the pinned version, in a word and a sentence. */
export function workspaceWords(row: DatasetRow): { word: 'matches' | 'changed' | 'unknown' | 'not pinned'; detail: string } {
  if (row.pinned === null) {
    return { word: 'not pinned', detail: 'kiln.lock does not pin this dataset in this project' };
  }
  const w = row.workspace;
  if (w === null) {
    return { word: 'unknown', detail: 'the notebook\'s kernel has not checked the workspace yet' };
  }
  if (w.clean) {
    return { word: 'matches', detail: `${w.path} holds exactly version ${shortId(w.version)}` };
  }
  return {
    word: 'changed',
    detail: `${w.path}: ${w.modified} modified, ${w.added} added, ${w.missing} missing against ${shortId(w.version)}`
  };
}

/**
 * The versions of one dataset as the panel pages through them: slices asked for by offset, kept in
 * order, each version once even when the list grew between two requests.
 */
export class VersionList {
  readonly dataset: string;
  private readonly seen = new Set<string>();
  private readonly items: VersionRecord[] = [];
  private knownTotal = -1;

  constructor(dataset: string) {
    this.dataset = dataset;
  }

  get versions(): readonly VersionRecord[] {
    return this.items;
  }

  /** How many versions the sidecar has; -1 before the first page. */
  get total(): number {
    return this.knownTotal;
  }

  /** Where the next page starts. */
  get nextOffset(): number {
    return this.items.length;
  }

  get complete(): boolean {
    return this.knownTotal >= 0 && this.items.length >= this.knownTotal;
  }

  /** Adds a page; returns how many versions were new. */
  add(page: VersionPage): number {
    if (page.dataset !== this.dataset) {
      throw new Error(`a page of ${page.dataset} cannot join the versions of ${this.dataset}`);
    }
    this.knownTotal = page.total;
    let added = 0;
    for (const v of page.versions) {
      if (!this.seen.has(v.id)) {
        this.seen.add(v.id);
        this.items.push(v);
        added++;
      }
    }
    if (page.versions.length === 0) {
      // the list shrank or we reached its end: what we hold is all there is
      this.knownTotal = this.items.length;
    }
    return added;
  }
}

/** Lines for a notebook cell. Names and ids are checked first: a cell never runs what a record smuggled in. */
export const magic = {
  pull(dataset: string, version: string): string {
    return `%data pull ${spec(dataset, version)}`;
  },
  checkout(dataset: string, version: string): string {
    return `%data checkout ${spec(dataset, version)}`;
  },
  diff(dataset: string, older: string, newer: string): string {
    return `%data diff ${spec(dataset, older)} ${spec(dataset, newer)}`;
  },
  pullNotebook(): string {
    return '%data pull --notebook';
  },
  snapshot(): string {
    return '%env snapshot';
  },
  status(): string {
    return '%data status --offline';
  },
  envCheck(): string {
    return '%env check';
  },
  export(notebook: string, to: string): string {
    return `%export ${quoteArg(notebook)} --to ${quoteArg(to)}`;
  },
  reproduce(notebook: string): string {
    return `%reproduce ${quoteArg(notebook)}`;
  }
};

function spec(dataset: string, version: string): string {
  if (!isName(dataset)) {
    throw new Error(`'${dataset}' is not a dataset name (letters, digits and . _ : -)`);
  }
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(version)) {
    throw new Error(`'${version}' is not a version id or tag of ${dataset}`);
  }
  return `${dataset}@${version}`;
}

/** An argument for a magic line: as it is when plain, else in double quotes (picocli's way). */
export function quoteArg(s: string): string {
  if (/[\n\r]/.test(s)) {
    throw new Error('a file name for a magic cannot hold a line break');
  }
  return /^[A-Za-z0-9._\/-]+$/.test(s) ? s : `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export function shortId(id: string): string {
  return id.length > 12 ? id.slice(0, 12) : id;
}

/** 1,536 → "1.5 KB": the sizes people read. */
export function bytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) {
    return '';
  }
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${n} B` : `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}

/** 1234567 → "1,234,567". */
export function wholeNumber(n: number): string {
  return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** An ISO instant in the viewer's zone, to the minute. */
export function localTime(iso: string | undefined): string {
  if (!iso) {
    return '';
  }
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) {
    return iso;
  }
  const pad = (x: number) => String(x).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The folder a notebook (server-relative path) lives in: the kernel's working folder, so its project. */
export function folderOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

/** Which of a project's files are in a folder. */
export interface ProjectFiles {
  yaml: boolean;
  lock: boolean;
}

/** Which of kiln.yaml and kiln.lock a folder's listing (the contents API's directory content) holds as files. */
export function projectFiles(listing: unknown): ProjectFiles {
  const names = new Set<string>();
  if (Array.isArray(listing)) {
    for (const entry of listing as { name?: unknown; type?: unknown }[]) {
      if (entry && typeof entry.name === 'string' && entry.type !== 'directory') {
        names.add(entry.name);
      }
    }
  }
  return { yaml: names.has('kiln.yaml'), lock: names.has('kiln.lock') };
}

/** A path inside a folder, server-relative. */
export function inFolder(folder: string, name: string): string {
  return folder === '' ? name : `${folder}/${name}`;
}

/**
 * The notebook's path on disk, as a kernel names it without Kiln's server extension (from
 * JPY_SESSION_NAME): the server's root folder joined with the notebook's server path.
 */
export function notebookOnDisk(serverRoot: string, path: string): string {
  if (serverRoot === '') {
    return path;
  }
  return serverRoot.replace(/\/+$/, '') + '/' + path.replace(/^\/+/, '');
}
