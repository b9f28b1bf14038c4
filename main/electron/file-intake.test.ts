import { describe, expect, it } from 'vitest';
import { filesFromArgv, PendingFiles } from './file-intake';

describe('files from the operating system', () => {
  it('takes file paths from argv and skips the executable, flags and the entry script', () => {
    expect(filesFromArgv(['/usr/bin/electron', 'out/main/index.js', '--inspect', '/home/a/prod.cutover'], false)).toEqual(['/home/a/prod.cutover']);
    expect(filesFromArgv(['C:\\Cutover\\Cutover.exe', 'C:\\Users\\a\\prod.cutover', '--no-sandbox'], true)).toEqual(['C:\\Users\\a\\prod.cutover']);
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
