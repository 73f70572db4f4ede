import DataLoader from 'dataloader';
import { PrimedLoader } from '../../src/graphql/primed-loader';

function counting(): { loader: PrimedLoader<string, { id: string; from: string }>; batches: string[][] } {
  const batches: string[][] = [];
  const loader = new PrimedLoader(
    new DataLoader<string, { id: string; from: string }>(async (ids) => {
      batches.push([...ids]);
      return ids.map((id) => ({ id, from: 'load' }));
    }),
  );
  return { loader, batches };
}

describe('PrimedLoader', () => {
  it('answers a primed key with the value itself, without loading', async () => {
    const { loader, batches } = counting();
    loader.prime('a', { id: 'a', from: 'prime' });
    expect(loader.load('a')).toEqual({ id: 'a', from: 'prime' });
    await Promise.resolve();
    expect(batches).toEqual([]);
  });

  it('loads the other keys in one batch, as a DataLoader', async () => {
    const { loader, batches } = counting();
    loader.prime('a', { id: 'a', from: 'prime' });
    const loaded = [loader.load('b'), loader.load('c'), loader.load('a')];
    expect(loaded[0]).toBeInstanceOf(Promise);
    expect(await Promise.all(loaded)).toEqual([
      { id: 'b', from: 'load' },
      { id: 'c', from: 'load' },
      { id: 'a', from: 'prime' },
    ]);
    expect(batches).toEqual([['b', 'c']]);
  });

  it('keeps the first value primed, as DataLoader.prime does', async () => {
    const { loader } = counting();
    loader.prime('a', { id: 'a', from: 'first' });
    loader.prime('a', { id: 'a', from: 'second' });
    expect(loader.load('a')).toEqual({ id: 'a', from: 'first' });
  });
});
