import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/temp-dir.ts';
import { NODE_ID_FILE, replaceNodeId } from './node-id-file.ts';

describe('the node id kept in DATA_DIR', () => {
  const dirs: Array<ReturnType<typeof tempDir>> = [];
  const fresh = () => {
    const dir = tempDir('node-id-');
    dirs.push(dir);
    return dir.path;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) d.remove();
  });

  it('answers no previous id on a first run, then the previous run’s, and keeps the latest', () => {
    const dir = fresh();
    expect(replaceNodeId(dir, 'host-1-aaaaaa')).toBeNull();
    expect(replaceNodeId(dir, 'host.example-2-bbbbbb')).toBe('host-1-aaaaaa');
    expect(readFileSync(path.join(dir, NODE_ID_FILE), 'utf8')).toBe('host.example-2-bbbbbb\n');
  });

  it('answers no previous id for its own id or a file that does not hold one', () => {
    const dir = fresh();
    replaceNodeId(dir, 'host-1-aaaaaa');
    expect(replaceNodeId(dir, 'host-1-aaaaaa')).toBeNull();
    writeFileSync(path.join(dir, NODE_ID_FILE), 'not an id *\n');
    expect(replaceNodeId(dir, 'host-3-cccccc')).toBeNull();
  });
});
