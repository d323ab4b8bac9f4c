import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette, IFrame, MainAreaWidget } from '@jupyterlab/apputils';
import { PageConfig, URLExt } from '@jupyterlab/coreutils';

/** The command that opens Kiln's history pages (served by the server extension at <base url>/kiln/). */
export const OPEN_HISTORY = 'kiln:open-history';

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

const plugin: JupyterFrontEndPlugin<void> = {
  id: 'kiln-jupyter:plugin',
  description: "Kiln's history of datasets and environments inside JupyterLab.",
  autoStart: true,
  optional: [ICommandPalette],
  activate: (app: JupyterFrontEnd, palette: ICommandPalette | null) => {
    let current: MainAreaWidget<IFrame> | null = null;
    app.commands.addCommand(OPEN_HISTORY, {
      label: 'Kiln: open history',
      caption: "The project's datasets, versions, environment snapshots and runs",
      execute: () => {
        if (current === null || current.isDisposed) {
          current = historyWidget();
        }
        if (!current.isAttached) {
          app.shell.add(current, 'main');
        }
        app.shell.activateById(current.id);
        return current;
      }
    });
    palette?.addItem({ command: OPEN_HISTORY, category: 'Kiln' });
  }
};

export default plugin;
