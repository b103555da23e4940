import { describe, expect, test } from '@jest/globals';
import { GroupCommit } from './group-commit.js';

// A statement that is all-or-nothing, as one SQL statement is: any bad item fails the whole batch.
function statementLog() {
  const batches: string[][] = [];
  const commit = async (items: string[]) => {
    batches.push(items);
    await new Promise((r) => setTimeout(r, 5));
    if (items.some((i) => i.startsWith('bad'))) throw new Error('invalid byte sequence');
    return items.map((i) => i.toUpperCase());
  };
  return { batches, commit };
}

describe('GroupCommit', () => {
  test('concurrent calls share one statement and each gets its own result', async () => {
    const { batches, commit } = statementLog();
    const gc = new GroupCommit(commit);
    expect(await Promise.all(['a', 'b', 'c'].map((i) => gc.submit(i)))).toEqual(['A', 'B', 'C']);
    expect(batches).toEqual([['a', 'b', 'c']]);
  });

  test('one poison item fails only its own caller; the good items of its batch are committed', async () => {
    const { commit } = statementLog();
    const gc = new GroupCommit(commit);
    const items = Array.from({ length: 30 }, (_, i) => `good${i}`);
    items.splice(17, 0, 'bad-nul');
    const results = await Promise.allSettled(items.map((i) => gc.submit(i)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(30);
    expect(results[17]).toEqual({ status: 'rejected', reason: new Error('invalid byte sequence') });
  });

  test('a batch stops growing at maxWeight but always takes one item, however heavy', async () => {
    const { batches, commit } = statementLog();
    const gc = new GroupCommit(commit, { weigh: (i: string) => i.length, maxWeight: 10 });
    await Promise.all(['aaaa', 'bbbb', 'cccc', 'x'.repeat(50), 'dd'].map((i) => gc.submit(i)));
    expect(batches).toEqual([['aaaa', 'bbbb'], ['cccc'], ['x'.repeat(50)], ['dd']]);
  });
});
