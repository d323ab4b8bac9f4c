import { ISessionContext } from '@jupyterlab/apputils';
import { NotebookActions, NotebookPanel } from '@jupyterlab/notebook';
import { KernelMessage } from '@jupyterlab/services';

/** One output of a query the panel ran in the kernel: its MIME data and metadata. */
export interface QueryOutput {
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

/** What a query gave: its outputs, or the error the magic raised (a Kiln message, never a trace). */
export interface QueryResult {
  outputs: QueryOutput[];
  error: { name: string; message: string } | null;
}

/**
 * Runs a magic in the notebook's kernel for the panel, not for the notebook: no history, no
 * execution count, no cell. Only on an idle kernel, so the panel never queues behind the user's work.
 * Returns null when the kernel is not there or busy.
 */
export async function query(session: ISessionContext, code: string, timeoutMs = 60_000): Promise<QueryResult | null> {
  const kernel = session.session?.kernel;
  if (!kernel || !(await idle(session, 10_000))) {
    return null;
  }
  const result: QueryResult = { outputs: [], error: null };
  const future = kernel.requestExecute({
    code,
    silent: false, // a silent request gets no outputs back, and the outputs are what the panel reads
    store_history: false,
    allow_stdin: false,
    stop_on_error: false
  });
  future.onIOPub = (msg: KernelMessage.IIOPubMessage) => {
    if (KernelMessage.isDisplayDataMsg(msg) || KernelMessage.isExecuteResultMsg(msg)) {
      result.outputs.push({
        data: msg.content.data as Record<string, unknown>,
        metadata: (msg.content.metadata ?? {}) as Record<string, unknown>
      });
    } else if (KernelMessage.isErrorMsg(msg)) {
      result.error = { name: msg.content.ename, message: msg.content.evalue };
    }
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<'timeout'>(resolve => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    if ((await Promise.race([future.done, timeout])) === 'timeout') {
      future.dispose();
      return null;
    }
  } finally {
    clearTimeout(timer);
  }
  return result;
}

/** Whether the kernel is idle now or within {@code waitMs} (a cell just ended: its idle status is on its way). */
function idle(session: ISessionContext, waitMs: number): Promise<boolean> {
  if (session.kernelDisplayStatus === 'idle') {
    return Promise.resolve(true);
  }
  return new Promise(resolve => {
    const done = (value: boolean) => {
      clearTimeout(timer);
      session.statusChanged.disconnect(onStatus);
      resolve(value);
    };
    const onStatus = () => {
      if (session.kernelDisplayStatus === 'idle') {
        done(true);
      }
    };
    const timer = setTimeout(() => done(false), waitMs);
    session.statusChanged.connect(onStatus);
  });
}

/** The metadata.kiln of a query's outputs, the last that has one. */
export function kilnMetadata(result: QueryResult): unknown {
  for (let i = result.outputs.length - 1; i >= 0; i--) {
    const k = result.outputs[i].metadata['kiln'];
    if (k !== undefined) {
      return k;
    }
  }
  return undefined;
}

/**
 * Runs a magic as a new cell below the active one, as if typed: its output (and the metadata.kiln
 * that records which versions and snapshot it used) stays in the notebook, so an export or a
 * reproduction of the notebook sees it.
 */
export async function runAsCell(panel: NotebookPanel, code: string): Promise<boolean> {
  const notebook = panel.content;
  if (notebook.model === null) {
    return false;
  }
  NotebookActions.insertBelow(notebook);
  const cell = notebook.activeCell;
  if (cell === null) {
    return false;
  }
  cell.model.sharedModel.setSource(code);
  return NotebookActions.run(notebook, panel.sessionContext);
}
