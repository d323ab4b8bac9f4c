import {
  VersionList,
  VersionRecord,
  bytes,
  datasetRows,
  folderOf,
  magic,
  notebookOnDisk,
  parseLock,
  projectFiles,
  quoteArg,
  readEnvCheck,
  readProvenance,
  readWorkspace,
  workspaceWords
} from '../src/model';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);

function version(i: number): VersionRecord {
  return { dataset: 'trips', id: i.toString(16).padStart(64, '0'), time: new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString(), size: i, files: 1 };
}

describe('kiln.lock', () => {
  it('reads every pinned dataset with its path and version, by name', () => {
    const lock = JSON.stringify({
      format: 1,
      datasets: {
        weather: { path: 'data/weather', version: B, manifest: 'm2', size: 10, files: 2 },
        trips: { path: 'data/trips', version: A, manifest: 'm1', size: 2048, files: 3 }
      }
    });
    expect(parseLock(lock)).toEqual([
      { dataset: 'trips', path: 'data/trips', version: A, manifest: 'm1', size: 2048, files: 3 },
      { dataset: 'weather', path: 'data/weather', version: B, manifest: 'm2', size: 10, files: 2 }
    ]);
  });

  it('skips entries without a version or path, and names that are no dataset names', () => {
    const lock = JSON.stringify({ format: 1, datasets: { ok: { path: 'd', version: A }, broken: { path: 'd' }, '../x': { path: 'd', version: A } } });
    expect(parseLock(lock).map(p => p.dataset)).toEqual(['ok']);
  });

  it('says what is wrong with a lock file that is not one, and what to do', () => {
    expect(() => parseLock('{"format": 1, "datasets": ')).toThrow(/^kiln.lock is not valid JSON .*restore it from git/);
    expect(() => parseLock('[]')).toThrow('kiln.lock has no "datasets" object: restore it from git or fix it by hand');
  });
});

describe('a folder listing', () => {
  it('says whether kiln.yaml and kiln.lock are files in it', () => {
    const file = (name: string) => ({ name, path: `p/${name}`, type: 'file' });
    expect(projectFiles([file('kiln.yaml'), file('kiln.lock'), file('a.ipynb')])).toEqual({ yaml: true, lock: true });
    expect(projectFiles([file('kiln.yaml'), { name: 'kiln.lock', type: 'directory' }])).toEqual({ yaml: true, lock: false });
    expect(projectFiles([file('analysis.ipynb'), file('kiln.yml')])).toEqual({ yaml: false, lock: false });
    expect(projectFiles(null)).toEqual({ yaml: false, lock: false });
  });
});

describe('metadata.kiln', () => {
  it('reads the workspace state of %data status', () => {
    const kiln = {
      data: { command: 'data status', datasets: [{ dataset: 'trips', version: A }] },
      workspace: [{ dataset: 'trips', version: A, path: 'data/trips', clean: false, modified: 1, added: 2, missing: 0, objectsNotCached: 3 }]
    };
    expect(readWorkspace(kiln)).toEqual([
      { dataset: 'trips', version: A, path: 'data/trips', clean: false, modified: 1, added: 2, missing: 0, objectsNotCached: 3 }
    ]);
    expect(readWorkspace({ data: { command: 'data pull' } })).toEqual([]);
    expect(readWorkspace(undefined)).toEqual([]);
  });

  it('reads the level and reasons of %env check, and nothing from other outputs', () => {
    const kiln = { envCheck: { level: 'compatible', against: A, current: B, reasons: ['os: kernel 6.1 → 6.12', 42] } };
    expect(readEnvCheck(kiln)).toEqual({ level: 'compatible', against: A, current: B, reasons: ['os: kernel 6.1 → 6.12'] });
    expect(readEnvCheck({ envCheck: { level: 'maybe' } })).toBeNull();
    expect(readEnvCheck({ snapshot: { id: A } })).toBeNull();
  });

  it("reads an output's provenance as every Kiln version wrote it", () => {
    expect(readProvenance({ data: { command: 'data pull', datasets: [{ dataset: 'trips', version: A, path: 'data/trips', subpath: 'jan' }] } }))
      .toEqual({ command: 'data pull', datasets: [{ dataset: 'trips', version: A, path: 'data/trips', subpath: 'jan' }], lineage: [],
        snapshot: null, settings: {}, warning: null });
    const conversion = readProvenance({ command: 'parquet convert', settings: { codec: 'zstd', rowGroupSize: 1048576 },
      data: { command: 'parquet convert', datasets: [], lineage: [{ dataset: 'raw', version: B }] } });
    expect(conversion?.command).toBe('parquet convert');
    expect(conversion?.settings).toEqual({ codec: 'zstd', rowGroupSize: 1048576 });
    expect(conversion?.lineage).toEqual([{ dataset: 'raw', version: B, path: undefined, subpath: undefined }]);
    const snapshot = readProvenance({ snapshot: { id: A, environment: { java: '17' } } });
    expect(snapshot?.command).toBe('env snapshot');
    expect(snapshot?.snapshot).toBe(A);
  });

  it('gives no badge to an output whose metadata.kiln names nothing to show', () => {
    expect(readProvenance({})).toBeNull();
    expect(readProvenance(null)).toBeNull();
    expect(readProvenance({ volatile: true })).toBeNull();
    expect(readProvenance({ data: { command: 'data remote add', datasets: [] } })).toBeNull();
  });
});

describe("the panel's dataset rows", () => {
  const pinned = [{ dataset: 'trips', path: 'data/trips', version: A }];
  const history = [
    { dataset: 'zones', versions: 2, latestTime: '2024-01-01T00:00:00Z', latestSize: 5 },
    { dataset: 'trips', versions: 7, latestTime: '2024-01-01T00:00:00Z', latestSize: 5 }
  ];

  it('puts the pinned datasets first with their workspace state, then what only the sidecar knows', () => {
    const ws = [{ dataset: 'trips', version: A, path: 'data/trips', clean: true, modified: 0, added: 0, missing: 0, objectsNotCached: 0 }];
    const rows = datasetRows(pinned, ws, history);
    expect(rows.map(r => [r.dataset, r.pinned?.version ?? null, r.history?.versions ?? null])).toEqual([
      ['trips', A, 7],
      ['zones', null, 2]
    ]);
    expect(workspaceWords(rows[0]).word).toBe('matches');
    expect(workspaceWords(rows[1]).word).toBe('not pinned');
  });

  it('does not call a workspace state of another version the state of the pinned one', () => {
    const stale = [{ dataset: 'trips', version: B, path: 'data/trips', clean: true, modified: 0, added: 0, missing: 0, objectsNotCached: 0 }];
    expect(workspaceWords(datasetRows(pinned, stale, [])[0]).word).toBe('unknown');
  });

  it('counts what changed', () => {
    const ws = [{ dataset: 'trips', version: A, path: 'data/trips', clean: false, modified: 1, added: 0, missing: 2, objectsNotCached: 0 }];
    expect(workspaceWords(datasetRows(pinned, ws, [])[0])).toEqual({
      word: 'changed', detail: 'data/trips: 1 modified, 0 added, 2 missing against aaaaaaaaaaaa'
    });
  });
});

describe('paging through versions', () => {
  it('walks thousands of versions page by page, each once, and knows when it has them all', () => {
    const all = Array.from({ length: 2345 }, (_, i) => version(2345 - i)); // newest first
    const list = new VersionList('trips');
    let pages = 0;
    while (!list.complete) {
      const offset = list.nextOffset;
      list.add({ dataset: 'trips', total: all.length, offset, versions: all.slice(offset, offset + 100) });
      pages++;
    }
    expect(pages).toBe(24);
    expect(list.versions.length).toBe(2345);
    expect(new Set(list.versions.map(v => v.id)).size).toBe(2345);
    expect(list.versions[0]).toBe(all[0]);
  });

  it('keeps each version once when newer ones arrived between two pages', () => {
    const list = new VersionList('trips');
    list.add({ dataset: 'trips', total: 4, offset: 0, versions: [version(4), version(3)] });
    // a new version 5 moved everything one place down: the next page repeats version 3
    expect(list.add({ dataset: 'trips', total: 5, offset: 2, versions: [version(3), version(2)] })).toBe(1);
    expect(list.versions.map(v => v.size)).toEqual([4, 3, 2]);
    expect(list.complete).toBe(false);
    list.add({ dataset: 'trips', total: 5, offset: 3, versions: [] });
    expect(list.complete).toBe(true);
  });

  it('refuses a page of another dataset', () => {
    expect(() => new VersionList('trips').add({ dataset: 'zones', total: 0, offset: 0, versions: [] }))
      .toThrow('a page of zones cannot join the versions of trips');
  });
});

describe('magic lines', () => {
  it('writes the magics the panel runs as cells', () => {
    expect(magic.pull('trips', A)).toBe(`%data pull trips@${A}`);
    expect(magic.checkout('trips', 'v2')).toBe('%data checkout trips@v2');
    expect(magic.diff('trips', A, B)).toBe(`%data diff trips@${A} trips@${B}`);
    expect(magic.snapshot()).toBe('%env snapshot');
    expect(magic.pullNotebook()).toBe('%data pull --notebook');
  });

  it('never puts what a record holds into a cell unchecked', () => {
    expect(() => magic.pull('trips; rm -rf /', A)).toThrow("'trips; rm -rf /' is not a dataset name (letters, digits and . _ : -)");
    expect(() => magic.checkout('trips', 'v2\n%env restore x')).toThrow(/is not a version id or tag of trips/);
    expect(quoteArg('my notebook "final".ipynb')).toBe('"my notebook \\"final\\".ipynb"');
    expect(quoteArg('plain/path-1.ipynb')).toBe('plain/path-1.ipynb');
    expect(() => quoteArg('a\nb')).toThrow('a file name for a magic cannot hold a line break');
  });
});

describe('paths and numbers', () => {
  it('finds the folder a notebook runs in and the path its kernel records', () => {
    expect(folderOf('project/analysis.ipynb')).toBe('project');
    expect(folderOf('analysis.ipynb')).toBe('');
    expect(notebookOnDisk('/home/ada/work/', 'project/analysis.ipynb')).toBe('/home/ada/work/project/analysis.ipynb');
  });

  it('writes sizes for people', () => {
    expect(bytes(512)).toBe('512 B');
    expect(bytes(1536)).toBe('1.5 KB');
    expect(bytes(250 * 1024 * 1024)).toBe('250 MB');
  });
});
