/** A small deterministic generator (an LCG): the same seed gives the same sequence, so a failing run replays. */
export function generator(seed: number): { next(): number; pick<T>(values: readonly T[]): T; int(below: number): number } {
  let state = seed;
  const next = (): number => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
  return { next, pick: (values) => values[Math.floor(next() * values.length)]!, int: (below) => Math.floor(next() * below) };
}
