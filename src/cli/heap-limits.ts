/**
 * V8 old-space limits for the commands whose memory is bounded by design, applied by bin/lifecycle.js when it starts
 * them (a running process cannot change its heap limit). Without one, V8 lets the heap grow far past what the command
 * keeps alive before it collects: a backfill's live heap stays under 64 MB with commit units of 5,000 contacts (it
 * completes under `--max-old-space-size=64`), yet uncapped its heap reached 220 MB and the process 552 MB of RSS at
 * 1,000,000 contacts. 256 MB leaves four times the live heap, so collections stay rare.
 */
export const HEAP_LIMIT_MB: Readonly<Record<string, number>> = { backfill: 256 };

/**
 * The node options a command should run with that this process lacks: `--max-old-space-size` for a command listed
 * above, unless the user chose a limit already (in node's own arguments or NODE_OPTIONS), which wins.
 */
export function heapLimitArgs(cliArgs: readonly string[], execArgv: readonly string[], nodeOptions: string | undefined): string[] {
  const limit = HEAP_LIMIT_MB[cliArgs[0] ?? ''];
  if (limit === undefined) return [];
  const chosen = [...execArgv, ...(nodeOptions ?? '').split(/\s+/)].some((arg) => /^--max[-_]old[-_]space[-_]size/.test(arg));
  return chosen ? [] : [`--max-old-space-size=${limit}`];
}
