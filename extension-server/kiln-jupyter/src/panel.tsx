import { ReactWidget } from '@jupyterlab/ui-components';
import * as React from 'react';

import {
  DatasetRow,
  RunRecord,
  VersionRecord,
  bytes,
  localTime,
  shortId,
  wholeNumber,
  workspaceWords
} from './model';
import { KilnState } from './state';

/** What the panel's buttons do; the plugin runs them (as notebook cells, or in a tab). */
export interface PanelActions {
  pull(dataset: string, version: string): void;
  checkout(dataset: string, version: string): void;
  diff(dataset: string, older: string, newer: string): void;
  openSnapshot(id: string): void;
}

/** Kiln's side panel: the project's datasets and their versions, the notebook's snapshots and runs. */
export class KilnPanel extends ReactWidget {
  constructor(
    private readonly state: KilnState,
    private readonly actions: PanelActions
  ) {
    super();
    this.id = 'kiln-panel';
    this.addClass('kiln-panel');
    this.title.caption = 'Kiln: datasets, versions, environments';
    state.onChange(() => this.update());
  }

  protected render(): JSX.Element {
    return <PanelView state={this.state} actions={this.actions} />;
  }
}

function PanelView({ state, actions }: { state: KilnState; actions: PanelActions }): JSX.Element {
  return (
    <div className="kiln-panel-body">
      <header className="kiln-panel-header">
        <h2>Kiln</h2>
        <SidecarBadge state={state} />
        <button
          className="jp-Button kiln-button kiln-refresh"
          title="Read the project, the sidecar and the kernel again"
          disabled={state.refreshing}
          onClick={() => void state.refresh()}
        >
          {state.refreshing ? 'Refreshing…' : 'Refresh'}
        </button>
      </header>
      <Body state={state} actions={actions} />
    </div>
  );
}

function SidecarBadge({ state }: { state: KilnState }): JSX.Element {
  const s = state.sidecar;
  const word = s.kind === 'up' ? 'sidecar running' : s.kind === 'down' ? 'sidecar down' : 'sidecar…';
  return <span className={`kiln-sidecar kiln-sidecar-${s.kind}`} data-state={s.kind}>{word}</span>;
}

function Body({ state, actions }: { state: KilnState; actions: PanelActions }): JSX.Element {
  const down = state.sidecar.kind === 'down';
  const nb = state.notebook;
  return (
    <>
      {down && (
        <section className="kiln-fault kiln-sidecar-down-note" title={state.sidecar.kind === 'down' ? state.sidecar.message : ''}>
          <p>
            <b>The Kiln sidecar is not answering.</b>
          </p>
          <p>
            Dataset history, versions and runs show again when it runs; Jupyter's log says why it stopped. Your
            notebook's kernel keeps its records in the project's <code>.kiln/spool</code> meanwhile and sends them
            later.
          </p>
        </section>
      )}
      {nb === null ? (
        <p className="kiln-note kiln-no-notebook">Open a notebook in a Kiln project to see its datasets and environments.</p>
      ) : state.project.kind === 'none' ? (
        <NoProject folder={state.project.folder} />
      ) : (
        <>
          <p className="kiln-notebook" title={nb.onDisk}>
            Notebook <code>{nb.path}</code>
          </p>
          {state.project.kind === 'present' && state.project.lockError !== null && (
            <p className="kiln-fault">{state.project.lockError}</p>
          )}
          <Datasets state={state} actions={actions} down={down} />
          {state.open !== null && !down && <Versions state={state} actions={actions} />}
          {!down && <Environment state={state} actions={actions} />}
        </>
      )}
    </>
  );
}

function NoProject({ folder }: { folder: string }): JSX.Element {
  return (
    <section className="kiln-no-project">
      <p>
        <b>No Kiln project here:</b> {folder === '' ? 'the top folder' : <code>{folder}</code>} has no{' '}
        <code>kiln.yaml</code>.
      </p>
      <p>Start one from a cell of this notebook, with a remote where versions are kept:</p>
      <pre>%data remote add origin s3://BUCKET/PREFIX</pre>
      <p>
        (or a directory: <code>%data remote add origin /path/to/remote</code>), then version a folder of data:
      </p>
      <pre>%data add data/NAME -m "what it holds"</pre>
    </section>
  );
}

function Datasets({ state, actions, down }: { state: KilnState; actions: PanelActions; down: boolean }): JSX.Element {
  const rows = state.rows;
  return (
    <section className="kiln-datasets">
      <h3>Datasets</h3>
      {state.workspaceNote !== null && <p className="kiln-note kiln-workspace-note">{state.workspaceNote}</p>}
      {state.historyError !== null && !down && <p className="kiln-fault">{state.historyError}</p>}
      {rows.length === 0 ? (
        <p className="kiln-note">
          No datasets yet: <code>%data add data/NAME</code> versions a folder and pins it in <code>kiln.lock</code>.
        </p>
      ) : (
        <table className="kiln-table">
          <thead>
            <tr>
              <th>dataset</th>
              <th>pinned</th>
              <th title="The files in the workspace, against the pinned version">local</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(r => (
              <DatasetLine key={r.dataset} row={r} state={state} actions={actions} down={down} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function DatasetLine({ row, state, actions, down }: { row: DatasetRow; state: KilnState; actions: PanelActions; down: boolean }): JSX.Element {
  const ws = workspaceWords(row);
  const selected = state.open?.list.dataset === row.dataset;
  return (
    <tr className={`kiln-dataset${selected ? ' kiln-selected' : ''}`} data-dataset={row.dataset}>
      <td>
        {down ? (
          row.dataset
        ) : (
          <button
            className="kiln-link"
            title={`Show the versions of ${row.dataset}`}
            onClick={() => (selected ? state.closeDataset() : void state.openDataset(row.dataset))}
          >
            {row.dataset}
          </button>
        )}
        <div className="kiln-facts kiln-version-count" data-versions={row.history?.versions ?? ''}>
          {row.history ? `${wholeNumber(row.history.versions)} version${row.history.versions === 1 ? '' : 's'}` : down ? '' : 'no history'}
        </div>
      </td>
      <td className="kiln-pinned">{row.pinned ? <code title={row.pinned.version}>{shortId(row.pinned.version)}</code> : '—'}</td>
      <td>
        <span className={`kiln-ws kiln-ws-${ws.word.replace(' ', '-')}`} data-workspace={ws.word} title={ws.detail}>
          {ws.word}
        </span>
        {ws.word === 'changed' && row.pinned && (
          <button
            className="kiln-link kiln-small"
            title={`Put back version ${shortId(row.pinned.version)} (local changes are kept unless you force it)`}
            onClick={() => actions.pull(row.dataset, row.pinned!.version)}
          >
            pull
          </button>
        )}
      </td>
    </tr>
  );
}

function Versions({ state, actions }: { state: KilnState; actions: PanelActions }): JSX.Element {
  const open = state.open!;
  const list = open.list;
  const pinned = state.pinned.find(p => p.dataset === list.dataset)?.version;
  const onScroll = (e: React.UIEvent<HTMLDivElement>) => {
    const el = e.currentTarget;
    // the next page is asked for before the user reaches the end
    if (el.scrollTop + el.clientHeight >= el.scrollHeight - 80) {
      void state.loadMoreVersions();
    }
  };
  const [older, newer] = open.picked.length === 2 ? orderByList(list.versions, open.picked) : [null, null];
  return (
    <section className="kiln-versions" data-dataset={list.dataset}>
      <h3>
        Versions of {list.dataset}
        <span className="kiln-count">
          {list.total >= 0 ? ` ${wholeNumber(list.versions.length)} of ${wholeNumber(list.total)}` : ''}
        </span>
      </h3>
      <div className="kiln-actions">
        <button
          className="jp-Button kiln-button kiln-diff"
          disabled={older === null}
          title={older === null ? 'Tick two versions to compare them' : `%data diff ${list.dataset}@${shortId(older)} ${list.dataset}@${shortId(newer!)}`}
          onClick={() => older !== null && actions.diff(list.dataset, older, newer!)}
        >
          Diff the two ticked
        </button>
        <button className="jp-Button kiln-button" onClick={() => state.closeDataset()}>
          Close
        </button>
      </div>
      <div className="kiln-version-list" onScroll={onScroll}>
        {list.versions.map(v => (
          <VersionLine
            key={v.id}
            v={v}
            pinned={v.id === pinned}
            picked={open.picked.includes(v.id)}
            state={state}
            actions={actions}
          />
        ))}
        {open.error !== null && <p className="kiln-fault">{open.error}</p>}
        {open.loading && <p className="kiln-note">Loading versions…</p>}
        {!open.loading && !list.complete && (
          <button className="jp-Button kiln-button kiln-more" onClick={() => void state.loadMoreVersions()}>
            Older versions
          </button>
        )}
        {list.complete && list.total === 0 && <p className="kiln-note">The sidecar has no versions of {list.dataset}.</p>}
      </div>
    </section>
  );
}

/** The two picked ids as (older, newer) by their place in the newest-first list. */
function orderByList(versions: readonly VersionRecord[], picked: string[]): [string, string] {
  const at = (id: string) => versions.findIndex(v => v.id === id);
  return at(picked[0]) > at(picked[1]) ? [picked[0], picked[1]] : [picked[1], picked[0]];
}

function VersionLine(props: { v: VersionRecord; pinned: boolean; picked: boolean; state: KilnState; actions: PanelActions }): JSX.Element {
  const { v, pinned, picked, state, actions } = props;
  return (
    <div className={`kiln-version${pinned ? ' kiln-version-pinned' : ''}`} data-version={v.id}>
      <label className="kiln-version-head" title="Tick two versions to diff them">
        <input type="checkbox" checked={picked} onChange={() => state.pick(v.id)} />
        <code>{shortId(v.id)}</code>
        {pinned && <span className="kiln-tag">pinned</span>}
      </label>
      <div className="kiln-message">{v.message || <i>no message</i>}</div>
      <div className="kiln-facts">
        <span className="kiln-time">{localTime(v.time)}</span> · {v.author ?? 'unknown author'} · {bytes(v.size)} ·{' '}
        {wholeNumber(v.files)} files
        {v.rows !== undefined && v.rows !== null ? ` · ${wholeNumber(v.rows)} rows` : ''}
      </div>
      <div className="kiln-version-actions">
        <button className="kiln-link" title={`%data pull ${v.dataset}@${shortId(v.id)}`} onClick={() => actions.pull(v.dataset, v.id)}>
          pull
        </button>
        <button className="kiln-link" title={`%data checkout ${v.dataset}@${shortId(v.id)}`} onClick={() => actions.checkout(v.dataset, v.id)}>
          check out
        </button>
      </div>
    </div>
  );
}

function Environment({ state, actions }: { state: KilnState; actions: PanelActions }): JSX.Element {
  return (
    <section className="kiln-environment">
      <h3>Environment snapshots of this notebook</h3>
      {state.snapshots.length === 0 ? (
        <p className="kiln-note">
          None yet: <code>%env snapshot</code> (or the toolbar's Snapshot button) records this environment.
        </p>
      ) : (
        <ul className="kiln-snapshots">
          {state.snapshots.map(s => (
            <li key={s.id} data-snapshot={s.id}>
              <button className="kiln-link" title="Open the snapshot" onClick={() => actions.openSnapshot(s.id)}>
                <code>{shortId(s.id)}</code>
              </button>{' '}
              <span className="kiln-time">{localTime(s.time)}</span>
            </li>
          ))}
        </ul>
      )}
      <h3>Runs</h3>
      {state.runs.length === 0 ? (
        <p className="kiln-note">No runs recorded for this notebook yet.</p>
      ) : (
        <ul className="kiln-runs">
          {state.runs.map(r => (
            <RunLine key={r.id} run={r} />
          ))}
        </ul>
      )}
    </section>
  );
}

function RunLine({ run }: { run: RunRecord }): JSX.Element {
  const state = run.state ?? (run.end ? 'ended' : 'running');
  const data = (run.datasets ?? []).map(d => `${d.dataset}@${shortId(d.version)}`).join(', ');
  return (
    <li className="kiln-run" data-run={run.id}>
      <span className="kiln-time">{localTime(run.start)}</span> <span className={`kiln-run-state kiln-run-${state}`}>{state}</span>
      {run.snapshot && (
        <>
          {' '}
          · env <code>{shortId(run.snapshot)}</code>
        </>
      )}
      {data && <div className="kiln-facts">{data}</div>}
    </li>
  );
}
