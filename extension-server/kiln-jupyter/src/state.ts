import { Contents } from '@jupyterlab/services';
import { NotebookPanel } from '@jupyterlab/notebook';

import { SidecarApi, SidecarError } from './api';
import { kilnMetadata, query } from './kernel';
import {
  DatasetRow,
  DatasetSummary,
  EnvCheck,
  PinnedDataset,
  ProjectFiles,
  RunRecord,
  SnapshotRecord,
  VersionList,
  WorkspaceState,
  datasetRows,
  folderOf,
  inFolder,
  magic,
  notebookOnDisk,
  parseLock,
  projectFiles,
  readEnvCheck,
  readWorkspace
} from './model';

/** Whether a contents request failed because the file is not there. */
function notFound(e: unknown): boolean {
  return (e as { response?: Response }).response?.status === 404;
}

/** The user's settings (schema/plugin.json). */
export interface KilnSettings {
  versionsPerPage: number;
  sidecarCheckSeconds: number;
  checkEnvironment: boolean;
}

export const DEFAULT_SETTINGS: KilnSettings = { versionsPerPage: 50, sidecarCheckSeconds: 30, checkEnvironment: true };

export type SidecarState = { kind: 'unknown' } | { kind: 'up' } | { kind: 'down'; message: string };

/** The open notebook as the panel sees it. */
export interface NotebookInfo {
  panel: NotebookPanel;
  /** Server-relative path. */
  path: string;
  /** Its folder: where its kernel runs, so where its project (kiln.yaml) is. */
  folder: string;
  /** Its path on disk: what a kernel started without Kiln's server extension records it under. */
  onDisk: string;
}

export type ProjectState =
  | { kind: 'unknown' }
  | { kind: 'none'; folder: string }
  | { kind: 'present'; lockError: string | null };

export type EnvState =
  | { kind: 'unknown'; note: string }
  | { kind: 'checked'; check: EnvCheck }
  | { kind: 'failed'; message: string };

/** The versions of the dataset the panel shows, as far as they are loaded. */
export interface OpenDataset {
  list: VersionList;
  loading: boolean;
  error: string | null;
  /** Up to two version ids picked for a diff, the first picked first. */
  picked: string[];
}

/**
 * What the panel and the status bar show, and the work of keeping it current. Every request is
 * asynchronous and a newer refresh supersedes an older one, so the UI never waits on the sidecar
 * or the kernel.
 */
export class KilnState {
  settings: KilnSettings = DEFAULT_SETTINGS;
  sidecar: SidecarState = { kind: 'unknown' };
  notebook: NotebookInfo | null = null;
  project: ProjectState = { kind: 'unknown' };
  /**
   * The project the sidecar keeps the notebook's records under (its remote's URL or its folder);
   * null until known, and then the panel shows every project's records rather than none.
   */
  projectId: string | null = null;
  pinned: PinnedDataset[] = [];
  workspace: WorkspaceState[] = [];
  workspaceNote: string | null = null;
  history: DatasetSummary[] = [];
  historyError: string | null = null;
  snapshots: SnapshotRecord[] = [];
  runs: RunRecord[] = [];
  env: EnvState = { kind: 'unknown', note: 'no notebook open' };
  open: OpenDataset | null = null;
  refreshing = false;

  private readonly listeners = new Set<() => void>();
  private generation = 0;

  constructor(
    readonly api: SidecarApi,
    private readonly contents: Contents.IManager,
    private readonly serverRoot: string
  ) {}

  /** Calls {@code listener} after every change; returns what removes it. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  changed(): void {
    for (const l of [...this.listeners]) {
      l();
    }
  }

  get rows(): DatasetRow[] {
    return datasetRows(this.pinned, this.workspace, this.history);
  }

  /** Follows the notebook in focus (null: none). */
  setNotebook(panel: NotebookPanel | null): void {
    if (panel === this.notebook?.panel) {
      return;
    }
    this.notebook = panel === null ? null : {
      panel,
      path: panel.context.path,
      folder: folderOf(panel.context.path),
      onDisk: notebookOnDisk(this.serverRoot, panel.context.path)
    };
    this.workspace = [];
    this.env = { kind: 'unknown', note: panel === null ? 'no notebook open' : 'not checked yet' };
    void this.refresh();
  }

  /** Asks the sidecar whether it is there; returns whether it is. */
  async checkSidecar(): Promise<boolean> {
    const before = this.sidecar.kind;
    try {
      await this.api.health();
      this.sidecar = { kind: 'up' };
    } catch (e) {
      this.sidecar = { kind: 'down', message: e instanceof SidecarError ? e.message : String(e) };
    }
    if (this.sidecar.kind !== before) {
      this.changed();
    }
    return this.sidecar.kind === 'up';
  }

  /** Everything again: sidecar, project files, history, then the kernel's view of the workspace. */
  async refresh(): Promise<void> {
    const generation = ++this.generation;
    const current = () => generation === this.generation;
    this.refreshing = true;
    this.changed();
    try {
      const up = await this.checkSidecar();
      await this.readProject();
      if (!current()) {
        return;
      }
      if (up) {
        await this.readHistory();
      } else {
        this.history = [];
        this.snapshots = [];
        this.runs = [];
        this.open = null;
      }
      if (!current()) {
        return;
      }
      this.refreshing = false;
      this.changed();
      await this.checkWorkspace();
      if (this.settings.checkEnvironment && current()) {
        await this.checkEnvironment();
      }
    } finally {
      if (current()) {
        this.refreshing = false;
        this.changed();
      }
    }
  }

  private async readProject(): Promise<void> {
    const nb = this.notebook;
    // the project last read stays until the sidecar answers again: a history opened during a
    // refresh still opens on this notebook's project, not on every project's records
    if (nb === null) {
      this.projectId = null;
      this.project = { kind: 'unknown' };
      this.pinned = [];
      return;
    }
    try {
      // the kernel names the project by its folder where kiln.yaml is not there yet, so ask either way
      this.projectId = await this.api.project(notebookOnDisk(this.serverRoot, nb.folder));
    } catch {
      this.projectId = null; // a sidecar that is down or older: every project's records
    }
    // the folder's listing says whether kiln.yaml and kiln.lock are there: asking for a file that is
    // not would put a 404 warning in Jupyter's log for every folder without a project
    let files: ProjectFiles;
    try {
      files = projectFiles((await this.contents.get(nb.folder, { type: 'directory', content: true })).content);
    } catch (e) {
      this.pinned = [];
      // a folder that is gone holds no project; Jupyter not answering is no news about it
      this.project = notFound(e) ? { kind: 'none', folder: nb.folder } : { kind: 'unknown' };
      return;
    }
    if (!files.yaml || !files.lock) {
      this.pinned = [];
      this.project = files.yaml ? { kind: 'present', lockError: null } : { kind: 'none', folder: nb.folder };
      return;
    }
    try {
      const lock = await this.contents.get(inFolder(nb.folder, 'kiln.lock'), { content: true, format: 'text', type: 'file' });
      this.pinned = parseLock(String(lock.content));
      this.project = { kind: 'present', lockError: null };
    } catch (e) {
      this.pinned = [];
      this.project = { kind: 'present', lockError: notFound(e) ? null : (e as Error).message };
    }
  }

  /** The sidecar's records again, without asking the kernel: the kernel sends them as it goes, some after the cell ended. */
  async refreshHistory(): Promise<void> {
    if (this.refreshing || this.sidecar.kind !== 'up' || this.notebook === null) {
      return;
    }
    await this.readHistory();
    this.changed();
  }

  private async readHistory(): Promise<void> {
    const nb = this.notebook;
    try {
      const [history, snapshots, runs] = await Promise.all([
        this.api.datasets(this.projectId),
        nb ? this.byNotebook(nb, name => this.api.snapshots(name, this.projectId)) : Promise.resolve([]),
        nb ? this.byNotebook(nb, name => this.api.runs(name, this.projectId)) : Promise.resolve([])
      ]);
      this.history = history;
      this.snapshots = snapshots;
      this.runs = runs;
      this.historyError = null;
    } catch (e) {
      this.historyError = (e as Error).message;
      if (e instanceof SidecarError && e.down) {
        this.sidecar = { kind: 'down', message: e.message };
      }
    }
  }

  /**
   * The notebook's records: under its server path, as Kiln's server extension names it to the
   * kernel; else under its path on disk, as a kernel started without the extension recorded it.
   */
  private async byNotebook<T>(nb: NotebookInfo, read: (name: string) => Promise<T[]>): Promise<T[]> {
    const named = await read(nb.path);
    return named.length > 0 ? named : read(nb.onDisk);
  }

  /** The notebook's kernel runs `%data status --offline`: whether each pinned dataset's files match. */
  async checkWorkspace(): Promise<void> {
    const nb = this.notebook;
    if (nb === null || this.project.kind !== 'present' || this.pinned.length === 0) {
      this.workspace = [];
      this.workspaceNote = null;
      return;
    }
    const result = await query(nb.panel.sessionContext, magic.status());
    if (nb !== this.notebook) {
      return;
    }
    if (result === null) {
      this.workspaceNote = 'The notebook\'s kernel is busy or not started: the workspace is checked when it is idle.';
    } else if (result.error !== null) {
      this.workspaceNote = result.error.message;
    } else {
      this.workspace = readWorkspace(kilnMetadata(result));
      this.workspaceNote = null;
    }
    this.changed();
  }

  /** The notebook's kernel runs `%env check`: this environment against the notebook's last snapshot. */
  async checkEnvironment(): Promise<void> {
    const nb = this.notebook;
    if (nb === null) {
      this.env = { kind: 'unknown', note: 'no notebook open' };
      this.changed();
      return;
    }
    const result = await query(nb.panel.sessionContext, magic.envCheck());
    if (nb !== this.notebook) {
      return;
    }
    if (result === null) {
      this.env = { kind: 'unknown', note: 'the kernel is busy or not started' };
    } else if (result.error !== null) {
      this.env = { kind: 'failed', message: result.error.message };
    } else {
      const check = readEnvCheck(kilnMetadata(result));
      this.env = check === null ? { kind: 'failed', message: 'The kernel answered %env check without a result' } : { kind: 'checked', check };
    }
    this.changed();
  }

  /** Shows a dataset's versions, newest first, from the first page. */
  async openDataset(dataset: string): Promise<void> {
    this.open = { list: new VersionList(dataset), loading: false, error: null, picked: [] };
    await this.loadMoreVersions();
  }

  closeDataset(): void {
    this.open = null;
    this.changed();
  }

  /** The next page of the open dataset's versions; nothing while one is on its way or all are here. */
  async loadMoreVersions(): Promise<void> {
    const open = this.open;
    if (open === null || open.loading || open.list.complete) {
      return;
    }
    open.loading = true;
    open.error = null;
    this.changed();
    try {
      const page = await this.api.versions(
        open.list.dataset, open.list.nextOffset, this.settings.versionsPerPage, this.projectId
      );
      open.list.add(page);
    } catch (e) {
      open.error = (e as Error).message;
    } finally {
      open.loading = false;
      this.changed();
    }
  }

  /** Picks a version for a diff (a third pick lets the first go); picking it again unpicks it. */
  pick(id: string): void {
    const open = this.open;
    if (open === null) {
      return;
    }
    if (open.picked.includes(id)) {
      open.picked = open.picked.filter(p => p !== id);
    } else {
      open.picked = [...open.picked, id].slice(-2);
    }
    this.changed();
  }
}
