import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

import {
  DatasetSummary,
  RunRecord,
  SnapshotRecord,
  VersionPage
} from './model';

/** {@code ?project=} (or {@code &project=}) for a project's records; nothing for every project's. */
export function projectQuery(separator: '?' | '&', project: string | null): string {
  return project === null ? '' : `${separator}project=${encodeURIComponent(project)}`;
}

/** Why a call to the sidecar failed: it is not there (down), or it refused this request. */
export class SidecarError extends Error {
  constructor(
    message: string,
    readonly down: boolean,
    readonly status: number
  ) {
    super(message);
  }
}

/** What the server extension runs for the Lab extension (kiln export, kiln reproduce). */
export interface CommandRun {
  command: string;
  exitCode: number;
  text: string;
  /** What it wrote, server-relative, when it wrote a file. */
  output: string | null;
}

/**
 * The sidecar's records through Jupyter's /kiln/api/ (Jupyter's login and XSRF token go with every
 * request; the sidecar's own token stays on the server).
 */
export class SidecarApi {
  private readonly settings = ServerConnection.makeSettings();

  private async get<T>(path: string): Promise<T> {
    return this.request<T>(path, { method: 'GET' });
  }

  private async request<T>(path: string, init: RequestInit): Promise<T> {
    const url = URLExt.join(this.settings.baseUrl, 'kiln', path);
    let response: Response;
    try {
      response = await ServerConnection.makeRequest(url, init, this.settings);
    } catch (e) {
      throw new SidecarError(`Jupyter did not answer (${(e as Error).message})`, true, 0);
    }
    const body = await response.text();
    if (!response.ok) {
      let message = body;
      try {
        const parsed = JSON.parse(body);
        message = parsed.error ?? parsed.message ?? body;
      } catch {
        // not JSON: the text is the message
      }
      // 502/503: the server extension could not reach the sidecar; 404 on /kiln/: no server extension
      const down = response.status === 502 || response.status === 503 || response.status === 504
        || (response.status === 404 && path === 'api/health');
      throw new SidecarError(message || `HTTP ${response.status}`, down, response.status);
    }
    return JSON.parse(body) as T;
  }

  async health(): Promise<boolean> {
    const h = await this.get<{ status: string }>('api/health');
    return h.status === 'ok';
  }

  /**
   * The project a folder on disk belongs to, as its kernel stamps its records: its default data
   * remote's URL, else the folder itself.
   */
  async project(folderOnDisk: string): Promise<string> {
    const p = await this.get<{ project: string }>(`api/lab/project?folder=${encodeURIComponent(folderOnDisk)}`);
    return p.project;
  }

  /** {@code project} null: every project's (a sidecar that cannot say which project the folder is). */
  datasets(project: string | null): Promise<DatasetSummary[]> {
    return this.get<DatasetSummary[]>(`api/datasets${projectQuery('?', project)}`);
  }

  versions(dataset: string, offset: number, limit: number, project: string | null): Promise<VersionPage> {
    return this.get<VersionPage>(
      `api/lab/datasets/${encodeURIComponent(dataset)}/versions?offset=${offset}&limit=${limit}${projectQuery('&', project)}`
    );
  }

  snapshots(notebook: string, project: string | null, limit = 20): Promise<SnapshotRecord[]> {
    return this.get<SnapshotRecord[]>(
      `api/snapshots?notebook=${encodeURIComponent(notebook)}&limit=${limit}${projectQuery('&', project)}`
    );
  }

  runs(notebook: string, project: string | null, limit = 20): Promise<RunRecord[]> {
    return this.get<RunRecord[]>(`api/runs?notebook=${encodeURIComponent(notebook)}&limit=${limit}${projectQuery('&', project)}`);
  }

  /** Runs `kiln export` or `kiln reproduce` on a saved notebook, in its folder (server side). */
  run(command: 'export' | 'reproduce', notebook: string, format?: string): Promise<CommandRun> {
    return this.request<CommandRun>('lab/run', {
      method: 'POST',
      body: JSON.stringify({ command, notebook, format: format ?? null })
    });
  }
}
