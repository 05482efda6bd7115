import { walk } from '../collect/walk.js'
import type { Excluder } from './walk-targets.js'

/**
 * Files and bytes under the targets, for the progress ETA: a second, stat-only walk that runs
 * beside the scan (only when progress is shown) and keeps nothing but two numbers.
 */
export async function countTargets(
  targets: readonly string[],
  prefixes: readonly string[],
  excluded: Excluder,
  signal: AbortSignal,
): Promise<{ files: number; bytes: number }> {
  let files = 0
  let bytes = 0
  for (const [i, target] of targets.entries()) {
    const entries = walk(target, {
      prefix: prefixes[i]!,
      excluded,
      problem: () => {},
      onSymlink: () => {},
      signal,
    })
    for await (const e of entries) {
      files++
      bytes += e.stat.size
    }
  }
  return { files, bytes }
}
