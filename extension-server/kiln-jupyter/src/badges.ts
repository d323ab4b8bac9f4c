import { CodeCell } from '@jupyterlab/cells';
import { NotebookPanel } from '@jupyterlab/notebook';

import { OutputProvenance, readProvenance } from './model';

/**
 * Puts a small "Kiln" badge on every output of a notebook that carries metadata.kiln; a click
 * shows what produced it. Outputs are re-rendered as they change, so each change is followed by a
 * pass over the cell's outputs (on the next frame, not during the change).
 */
export class ProvenanceBadges {
  private readonly watched = new WeakSet<CodeCell>();

  constructor(private readonly open: (provenance: OutputProvenance) => void) {}

  follow(panel: NotebookPanel): void {
    const notebook = panel.content;
    const scan = () => {
      for (const cell of notebook.widgets) {
        if (cell instanceof CodeCell) {
          this.watch(cell);
        }
      }
    };
    notebook.model?.cells.changed.connect(() => requestAnimationFrame(scan));
    void panel.context.ready.then(() => requestAnimationFrame(scan));
    scan();
  }

  private watch(cell: CodeCell): void {
    if (this.watched.has(cell)) {
      return;
    }
    this.watched.add(cell);
    const decorate = () => requestAnimationFrame(() => this.decorate(cell));
    cell.outputArea.model.changed.connect(decorate);
    cell.outputArea.outputLengthChanged.connect(decorate);
    decorate();
  }

  private decorate(cell: CodeCell): void {
    if (cell.isDisposed) {
      return;
    }
    const area = cell.outputArea;
    for (let i = 0; i < area.model.length && i < area.widgets.length; i++) {
      const node = area.widgets[i].node;
      const provenance = readProvenance(area.model.get(i).metadata['kiln']);
      const existing = node.querySelector(':scope > .kiln-badge');
      if (provenance === null) {
        existing?.remove();
        continue;
      }
      if (existing !== null) {
        (existing as HTMLElement & { kilnProvenance?: OutputProvenance }).kilnProvenance = provenance;
        continue;
      }
      const badge = document.createElement('button') as HTMLButtonElement & { kilnProvenance?: OutputProvenance };
      badge.className = 'kiln-badge';
      badge.textContent = 'Kiln';
      badge.title = 'What produced this output: dataset versions, environment snapshot, settings';
      badge.kilnProvenance = provenance;
      badge.addEventListener('click', event => {
        event.stopPropagation();
        this.open(badge.kilnProvenance!);
      });
      node.classList.add('kiln-has-badge');
      node.appendChild(badge);
    }
  }
}
