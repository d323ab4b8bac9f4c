import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import {
  Dialog,
  ICommandPalette,
  IFrame,
  MainAreaWidget,
  ReactWidget,
  showDialog
} from '@jupyterlab/apputils';
import { PageConfig, URLExt } from '@jupyterlab/coreutils';
import { INotebookTracker, NotebookActions, NotebookPanel } from '@jupyterlab/notebook';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { IStatusBar } from '@jupyterlab/statusbar';
import { LabIcon } from '@jupyterlab/ui-components';
import * as React from 'react';

import { SidecarApi, projectQuery } from './api';
import { ProvenanceBadges } from './badges';
import { runAsCell } from './kernel';
import { OutputProvenance, magic, shortId } from './model';
import { KilnPanel, PanelActions } from './panel';
import { DEFAULT_SETTINGS, KilnSettings, KilnState } from './state';
import { KilnStatus, StatusDetails } from './status';

/** The command that opens Kiln's history pages (served by the server extension at <base url>/kiln/). */
export const OPEN_HISTORY = 'kiln:open-history';

/** Kiln's commands, each with a label in the palette and, where it has one, a short one on the toolbar. */
export const COMMANDS = {
  openHistory: OPEN_HISTORY,
  openPanel: 'kiln:open-panel',
  snapshot: 'kiln:snapshot-env',
  pullNotebookData: 'kiln:pull-notebook-data',
  exportNotebook: 'kiln:export',
  reproduce: 'kiln:reproduce',
  checkEnvironment: 'kiln:check-env',
  refresh: 'kiln:refresh'
} as const;

const PLUGIN_ID = 'kiln-jupyter:plugin';

const kilnIcon = new LabIcon({
  name: 'kiln:icon',
  svgstr:
    '<svg xmlns="http://www.w3.org/2000/svg" width="16" viewBox="0 0 24 24"><path class="jp-icon3" fill="#616161" ' +
    'd="M4 21V10l8-6 8 6v11h-5v-6H9v6H4zm7-9h2v-2h-2v2z"/></svg>'
});

/** Kiln's history pages in a main-area tab: the sidecar's pages, through Jupyter's URL and login. */
function historyWidget(): MainAreaWidget<IFrame> {
  // same origin, so Jupyter's login cookie goes with each link followed inside; forms for the
  // snapshot comparison; no scripts (the pages have none)
  const frame = new IFrame({ sandbox: ['allow-same-origin', 'allow-forms'] });
  frame.url = URLExt.join(PageConfig.getBaseUrl(), 'kiln/');
  const widget = new MainAreaWidget({ content: frame });
  widget.id = 'kiln-history';
  widget.title.label = 'Kiln history';
  widget.title.closable = true;
  widget.addClass('kiln-history');
  return widget;
}

/** The body of a dialog: a React element in a widget. */
function body(element: JSX.Element): ReactWidget {
  return ReactWidget.create(element);
}

function ProvenanceView(props: {
  p: OutputProvenance;
  showVersions: (dataset: string) => void;
  openSnapshot: (id: string) => void;
}): JSX.Element {
  const { p, showVersions, openSnapshot } = props;
  const settings = Object.entries(p.settings);
  return (
    <div className="kiln-provenance">
      {p.command && (
        <p>
          Made by <code>%{p.command}</code>
        </p>
      )}
      {p.datasets.length > 0 && (
        <>
          <h4>Dataset versions</h4>
          <ul className="kiln-provenance-datasets">
            {p.datasets.map(d => (
              <li key={`${d.dataset}@${d.version}`} data-dataset={d.dataset} data-version={d.version}>
                <button className="kiln-link" title={`Show the versions of ${d.dataset}`} onClick={() => showVersions(d.dataset)}>
                  {d.dataset}@{shortId(d.version)}
                </button>
                {d.path && <span className="kiln-facts"> in {d.path}{d.subpath ? `/${d.subpath}` : ''}</span>}
              </li>
            ))}
          </ul>
        </>
      )}
      {p.lineage.length > 0 && (
        <>
          <h4>Made from</h4>
          <ul>
            {p.lineage.map(d => (
              <li key={`${d.dataset}@${d.version}`}>
                <button className="kiln-link" onClick={() => showVersions(d.dataset)}>
                  {d.dataset}@{shortId(d.version)}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      {p.snapshot && (
        <>
          <h4>Environment snapshot</h4>
          <p className="kiln-provenance-snapshot" data-snapshot={p.snapshot}>
            <button className="kiln-link" title="Open the snapshot in Kiln's history" onClick={() => openSnapshot(p.snapshot!)}>
              <code>{shortId(p.snapshot)}</code>
            </button>
          </p>
        </>
      )}
      {settings.length > 0 && (
        <>
          <h4>Settings</h4>
          <table className="kiln-table kiln-provenance-settings">
            <tbody>
              {settings.map(([k, v]) => (
                <tr key={k}>
                  <th>{k}</th>
                  <td>
                    <code>{typeof v === 'string' ? v : JSON.stringify(v)}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {p.warning && <p className="kiln-fault">{p.warning}</p>}
    </div>
  );
}

const plugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description: "Kiln inside JupyterLab: datasets and their versions, environments, runs and the provenance of outputs.",
  autoStart: true,
  requires: [INotebookTracker],
  optional: [ICommandPalette, IStatusBar, ISettingRegistry],
  activate: (
    app: JupyterFrontEnd,
    tracker: INotebookTracker,
    palette: ICommandPalette | null,
    statusBar: IStatusBar | null,
    settingRegistry: ISettingRegistry | null
  ) => {
    const api = new SidecarApi();
    const state = new KilnState(api, app.serviceManager.contents, PageConfig.getOption('serverRoot'));
    const { commands } = app;

    // ---- the history tab ----
    let history: MainAreaWidget<IFrame> | null = null;
    const openHistory = (path: string) => {
      if (history === null || history.isDisposed) {
        history = historyWidget();
      }
      history.content.url = path.startsWith('?')
        ? URLExt.join(PageConfig.getBaseUrl(), 'kiln/') + path
        : URLExt.join(PageConfig.getBaseUrl(), 'kiln/', path);
      if (!history.isAttached) {
        app.shell.add(history, 'main');
      }
      app.shell.activateById(history.id);
      return history;
    };
    commands.addCommand(COMMANDS.openHistory, {
      label: 'Kiln: open history',
      caption: "The project's datasets, versions, environment snapshots and runs",
      // with no page named: the start page of the open notebook's project
      execute: args => openHistory(typeof args.path === 'string' ? args.path : projectQuery('?', state.projectId))
    });

    // ---- what runs in the notebook ----
    const notebook = (): NotebookPanel | null => tracker.currentWidget;
    const hasNotebook = () => notebook() !== null;
    /** Runs a magic as a cell of the current notebook, then reads the project and history again. */
    const inCell = async (code: string) => {
      const panel = notebook();
      if (panel === null) {
        return;
      }
      app.shell.activateById(panel.id);
      await runAsCell(panel, code);
    };
    const actions: PanelActions = {
      pull: (dataset, version) => void inCell(magic.pull(dataset, version)),
      checkout: (dataset, version) => void inCell(magic.checkout(dataset, version)),
      diff: (dataset, older, newer) => void inCell(magic.diff(dataset, older, newer)),
      openSnapshot: id => openHistory(`snapshots/${encodeURIComponent(id)}`)
    };

    // ---- the side panel ----
    const panel = new KilnPanel(state, actions);
    panel.title.icon = kilnIcon;
    app.shell.add(panel, 'left', { rank: 650 });
    commands.addCommand(COMMANDS.openPanel, {
      label: 'Kiln: show the panel',
      caption: "The project's datasets, versions, environment snapshots and runs",
      execute: () => app.shell.activateById(panel.id)
    });
    commands.addCommand(COMMANDS.refresh, {
      label: 'Kiln: refresh',
      execute: () => state.refresh()
    });

    // ---- status bar ----
    const showStatus = async () => {
      await showDialog({
        title: 'Kiln',
        body: body(<StatusDetails state={state} />),
        buttons: [Dialog.cancelButton({ label: 'Close' }), Dialog.okButton({ label: 'Check again' })]
      }).then(async result => {
        if (result.button.accept) {
          await state.checkSidecar();
          await state.checkEnvironment();
        }
      });
    };
    if (statusBar !== null) {
      statusBar.registerStatusItem('kiln:status', {
        item: new KilnStatus(state, () => void showStatus()),
        align: 'left',
        rank: 5
      });
    }
    commands.addCommand(COMMANDS.checkEnvironment, {
      label: 'Kiln: check the environment against the last snapshot',
      isEnabled: hasNotebook,
      execute: async () => {
        await state.checkEnvironment();
        await showStatus();
      }
    });

    // ---- commands for the palette and the notebook toolbar ----
    commands.addCommand(COMMANDS.snapshot, {
      label: args => (args.toolbar ? 'Snapshot' : 'Kiln: snapshot the environment'),
      caption: 'Run %env snapshot in this notebook: records the JVM, jars, OS, git commit and pinned datasets',
      isEnabled: hasNotebook,
      execute: () => inCell(magic.snapshot())
    });
    commands.addCommand(COMMANDS.pullNotebookData, {
      label: args => (args.toolbar ? 'Pull data' : "Kiln: pull the notebook's data"),
      caption: 'Save the notebook, then run %data pull --notebook: the exact dataset versions its outputs used',
      isEnabled: hasNotebook,
      execute: async () => {
        const nb = notebook();
        if (nb === null) {
          return;
        }
        await nb.context.save(); // --notebook reads what the saved file records
        await inCell(magic.pullNotebook());
      }
    });
    const runOnServer = async (command: 'export' | 'reproduce') => {
      const nb = notebook();
      if (nb === null) {
        return;
      }
      await nb.context.save(); // both read the notebook as saved
      const doing = command === 'export' ? 'Exporting' : 'Reproducing';
      const progress = new Dialog({
        title: `${doing} ${nb.context.path}…`,
        body: command === 'reproduce' ? 'Kiln pulls its data and runs it again with a fresh kernel; this takes a while.' : '',
        buttons: [Dialog.cancelButton({ label: 'Hide' })]
      });
      progress.launch().catch(() => undefined); // closed by the user, or by dispose() below
      let text: string;
      let output: string | null = null;
      let ok = false;
      try {
        const run = await api.run(command, nb.context.path, command === 'export' ? 'html' : undefined);
        text = run.text;
        output = run.output;
        ok = run.exitCode === 0;
      } catch (e) {
        text = (e as Error).message;
      }
      progress.dispose();
      const result = await showDialog({
        title: command === 'export' ? (ok ? 'Exported with provenance' : 'Export failed') : ok ? 'Reproduced: the same' : 'Reproduction differs',
        body: body(<pre className="kiln-command-output">{text}</pre>),
        buttons: output !== null
          ? [Dialog.cancelButton({ label: 'Close' }), Dialog.okButton({ label: `Open ${output.split('/').pop()}` })]
          : [Dialog.okButton({ label: 'Close' })]
      });
      if (output !== null && result.button.accept) {
        await commands.execute('docmanager:open', { path: output, factory: output.endsWith('.html') ? 'HTML Viewer' : undefined });
      }
    };
    commands.addCommand(COMMANDS.exportNotebook, {
      label: args => (args.toolbar ? 'Export' : 'Kiln: export with provenance (HTML)'),
      caption: 'Save the notebook, then kiln export: an HTML copy with the snapshot and dataset versions at the top',
      isEnabled: hasNotebook,
      execute: () => runOnServer('export')
    });
    commands.addCommand(COMMANDS.reproduce, {
      label: args => (args.toolbar ? 'Reproduce' : 'Kiln: reproduce this notebook'),
      caption: 'Save the notebook, then kiln reproduce: pull its data, run it again and compare every output',
      isEnabled: hasNotebook,
      execute: () => runOnServer('reproduce')
    });
    if (palette !== null) {
      for (const command of Object.values(COMMANDS)) {
        palette.addItem({ command, category: 'Kiln' });
      }
    }

    // ---- provenance badges ----
    const badges = new ProvenanceBadges(p => {
      const dialog: Dialog<unknown> = new Dialog({
        title: 'Where this output came from',
        body: body(
          <ProvenanceView
            p={p}
            showVersions={dataset => {
              dialog.dispose();
              app.shell.activateById(panel.id);
              void state.openDataset(dataset);
            }}
            openSnapshot={id => {
              dialog.dispose();
              actions.openSnapshot(id);
            }}
          />
        ),
        buttons: [Dialog.cancelButton({ label: 'Close' })]
      });
      dialog.launch().catch(() => undefined); // closed, or disposed by a link inside
    });

    // ---- following the notebook in focus and what its cells do ----
    tracker.widgetAdded.connect((_, nb) => {
      badges.follow(nb);
      nb.sessionContext.ready.then(() => {
        if (tracker.currentWidget === nb) {
          void state.refresh();
        }
      }, () => undefined);
    });
    tracker.currentChanged.connect((_, nb) => state.setNotebook(nb));
    tracker.forEach(nb => badges.follow(nb));
    state.setNotebook(tracker.currentWidget);
    NotebookActions.executed.connect((_, { notebook: nb, cell }) => {
      const source = cell.model.sharedModel.getSource();
      if (tracker.currentWidget?.content !== nb || !/^\s*%(data|env|parquet)\b/m.test(source)) {
        return;
      }
      // the kernel sends its records to the sidecar as it goes: read again now, and once they are in
      void state.refresh();
      setTimeout(() => void state.refresh(), 2500);
    });

    // ---- settings, and a regular look at the sidecar ----
    let timer: ReturnType<typeof setInterval> | undefined;
    const apply = (settings: KilnSettings) => {
      state.settings = settings;
      clearInterval(timer);
      timer = setInterval(async () => {
        const wasUp = state.sidecar.kind === 'up';
        if ((await state.checkSidecar()) && !wasUp) {
          void state.refresh(); // back: read what it has
        } else if (panel.isVisible) {
          void state.refreshHistory();
        }
      }, settings.sidecarCheckSeconds * 1000);
    };
    apply(DEFAULT_SETTINGS);
    if (settingRegistry !== null) {
      settingRegistry.load(PLUGIN_ID).then(s => {
        const read = () =>
          apply({
            versionsPerPage: (s.get('versionsPerPage').composite as number) ?? DEFAULT_SETTINGS.versionsPerPage,
            sidecarCheckSeconds: (s.get('sidecarCheckSeconds').composite as number) ?? DEFAULT_SETTINGS.sidecarCheckSeconds,
            checkEnvironment: (s.get('checkEnvironment').composite as boolean) ?? DEFAULT_SETTINGS.checkEnvironment
          });
        read();
        s.changed.connect(read);
      }, e => console.warn('Kiln: settings could not be read; using the defaults', e));
    }
    void state.refresh();
  }
};

export default plugin;
