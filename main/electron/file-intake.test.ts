import { describe, expect, it } from 'vitest';
import { filesFromArgv, handleFilesFromOs, PendingFiles } from './file-intake';

describe('files from the operating system', () => {
  it('takes file paths from argv and skips the executable, flags and the entry script', () => {
    expect(
      filesFromArgv(['/usr/bin/electron', 'out/main/index.js', '--inspect', '/home/a/prod.cutover'], false),
    ).toEqual(['/home/a/prod.cutover']);
    expect(filesFromArgv(['C:\\Cutover\\Cutover.exe', 'C:\\Users\\a\\prod.cutover', '--no-sandbox'], true)).toEqual([
      'C:\\Users\\a\\prod.cutover',
    ]);
    expect(filesFromArgv(['/opt/Cutover/cutover'], true)).toEqual([]);
  });

  it('queues files that arrive before the window is ready (macOS open-file) and delivers them in order', () => {
    const pending = new PendingFiles();
    const delivered: string[] = [];
    pending.add('/a.cutover');
    pending.add('/b.txt');
    pending.ready((p) => delivered.push(p));
    pending.add('/c.env');
    expect(delivered).toEqual(['/a.cutover', '/b.txt', '/c.env']);
  });
});

describe('open-file and second-instance', () => {
  it('queues macOS open-file before the window is ready, and a second launch brings Cutover to the front with its files', async () => {
    const { EventEmitter } = await import('node:events');
    const app = new EventEmitter();
    const pending = new PendingFiles();
    let fronted = 0;
    handleFilesFromOs(app as never, pending, { isPackaged: () => true, bringToFront: () => fronted++ });
    let prevented = false;
    app.emit('open-file', { preventDefault: () => (prevented = true) }, '/Users/a/early.cutover');
    expect(prevented).toBe(true);
    const delivered: string[] = [];
    pending.ready((p) => delivered.push(p));
    app.emit('second-instance', {}, [
      '/Applications/Cutover.app/Contents/MacOS/Cutover',
      '--flag',
      '/Users/a/team.cutover',
      '/Users/a/uris.txt',
    ]);
    expect(delivered).toEqual(['/Users/a/early.cutover', '/Users/a/team.cutover', '/Users/a/uris.txt']);
    expect(fronted).toBe(1);
  });

  it('delivers opened files to the one intake, which previews them', async () => {
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const os = await import('node:os');
    const path = await import('node:path');
    const { createCore } = await import('../core/app-core');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'cutover-os-files-'));
    const file = path.join(dir, 'from-finder.txt');
    await writeFile(file, 'mongodb://finder.example:27017/\n');
    const core = createCore({ providers: [], shell: 'electron', version: 'test' });
    const opened: string[] = [];
    core.onEvent((name, payload) => {
      if (name === 'file.opened')
        opened.push(
          ...((payload as { preview?: { entries: Array<{ host?: string }> } }).preview?.entries.map(
            (e) => e.host ?? '',
          ) ?? []),
        );
    });
    const pending = new PendingFiles();
    const done: Array<Promise<unknown>> = [];
    pending.add(file);
    pending.ready((p) => done.push(core.openFile(p)));
    await Promise.all(done);
    expect(opened).toEqual(['finder.example:27017']);
  });
});

describe('file:// URIs from launchers (%U)', () => {
  it('takes file URIs in argv as the paths they name, decoding escapes, and skips other URIs', () => {
    expect(
      filesFromArgv(
        ['/opt/Cutover/cutover', 'file:///home/a/prod.cutover', 'file:///home/a/My%20Team%20%C3%A9.cutover'],
        true,
      ),
    ).toEqual(['/home/a/prod.cutover', '/home/a/My Team é.cutover']);
    expect(
      filesFromArgv(
        [
          '/opt/Cutover/cutover',
          'file://localhost/home/a/x.txt',
          'https://example.com/x.cutover',
          'file://other-host/x.cutover',
          '/plain/path.env',
        ],
        true,
      ),
    ).toEqual(['/home/a/x.txt', '/plain/path.env']);
  });

  it('open-file and second-instance accept file URIs as paths', async () => {
    const { EventEmitter } = await import('node:events');
    const app = new EventEmitter();
    const pending = new PendingFiles();
    handleFilesFromOs(app as never, pending, { isPackaged: () => true, bringToFront: () => undefined });
    const delivered: string[] = [];
    pending.ready((p) => delivered.push(p));
    app.emit('open-file', { preventDefault: () => undefined }, 'file:///Users/a/From%20Finder.cutover');
    app.emit('second-instance', {}, ['/opt/Cutover/cutover', 'file:///home/a/second.cutover']);
    expect(delivered).toEqual(['/Users/a/From Finder.cutover', '/home/a/second.cutover']);
  });
});
