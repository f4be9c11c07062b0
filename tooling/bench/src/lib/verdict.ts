/** Every goal's verdict of this run, in order, for the summary `pnpm bench` prints last. */
export const verdicts: { readonly goal: string; readonly met: boolean; readonly figure: string }[] = [];

/** Prints `goal: MET (figure)` or `goal: MISSED (figure)` and records it; returns whether it was met. */
export function verdict(goal: string, met: boolean, figure: string): boolean {
  verdicts.push({ goal, met, figure });
  console.log(`verdict — ${goal}: ${met ? 'MET' : 'MISSED'} (${figure})`);
  return met;
}
