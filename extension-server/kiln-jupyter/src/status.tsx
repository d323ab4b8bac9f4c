import { ReactWidget } from '@jupyterlab/ui-components';
import * as React from 'react';

import { shortId } from './model';
import { EnvState, KilnState } from './state';

/** The status bar's Kiln item: the sidecar, and the open notebook's environment against its snapshot. */
export class KilnStatus extends ReactWidget {
  constructor(
    private readonly state: KilnState,
    private readonly showDetails: () => void
  ) {
    super();
    this.addClass('kiln-status');
    state.onChange(() => this.update());
  }

  protected render(): JSX.Element {
    const s = this.state.sidecar;
    const env = envWord(this.state.env);
    return (
      <button
        className="kiln-status-button"
        title="Kiln: the sidecar and this environment against the notebook's last snapshot (click for the reasons)"
        onClick={this.showDetails}
      >
        <span className={`kiln-dot kiln-sidecar-${s.kind}`} data-sidecar={s.kind} />
        Kiln {s.kind === 'down' ? 'sidecar down' : s.kind === 'up' ? 'sidecar' : '…'}
        {this.state.notebook !== null && (
          <span className={`kiln-env kiln-env-${env}`} data-env={env}>
            {' '}
            · env {env}
          </span>
        )}
      </button>
    );
  }
}

/** The status bar's word for the environment check. */
export function envWord(env: EnvState): string {
  if (env.kind === 'checked') {
    return env.check.level;
  }
  return env.kind === 'failed' ? 'unchecked' : 'unknown';
}

/** What a click on the status item shows. */
export function StatusDetails({ state }: { state: KilnState }): JSX.Element {
  const s = state.sidecar;
  const env = state.env;
  return (
    <div className="kiln-status-details">
      <p>
        <b>Sidecar:</b>{' '}
        {s.kind === 'up' ? 'running; it records environments, dataset versions and runs.' : s.kind === 'down'
          ? `not answering (${s.message}). The kernel keeps records in .kiln/spool until it runs again.` : 'not asked yet.'}
      </p>
      {env.kind === 'checked' ? (
        <>
          <p className="kiln-env-level" data-level={env.check.level}>
            <b>Environment: {env.check.level}</b> — this environment (<code>{shortId(env.check.current)}</code>) against the
            notebook's last snapshot <code>{shortId(env.check.against)}</code>.
          </p>
          {env.check.reasons.length > 0 ? (
            <ul className="kiln-reasons">
              {env.check.reasons.map((r, i) => (
                <li key={i}>{r}</li>
              ))}
            </ul>
          ) : (
            <p>No differences.</p>
          )}
        </>
      ) : env.kind === 'failed' ? (
        <p className="kiln-fault">
          <b>Environment not checked:</b> {env.message}
        </p>
      ) : (
        <p>
          <b>Environment:</b> {env.note}.
        </p>
      )}
    </div>
  );
}
