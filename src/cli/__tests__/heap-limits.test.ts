import { heapLimitArgs } from '../heap-limits';

describe('the V8 heap limit a command is started with', () => {
  it('backfill runs with a 256 MB old space', () => {
    expect(heapLimitArgs(['backfill', '--portal', '101'], [], undefined)).toEqual(['--max-old-space-size=256']);
  });

  it('other commands keep node’s default', () => {
    expect(heapLimitArgs(['serve'], [], undefined)).toEqual([]);
    expect(heapLimitArgs([], [], undefined)).toEqual([]);
  });

  it('a limit the user chose wins, in node’s arguments or in NODE_OPTIONS', () => {
    expect(heapLimitArgs(['backfill'], ['--max-old-space-size=1024'], undefined)).toEqual([]);
    expect(heapLimitArgs(['backfill'], [], '--enable-source-maps --max_old_space_size=2048')).toEqual([]);
  });
});
