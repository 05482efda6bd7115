import type { RuleMatch, YaraX } from '@litko/yara-x'
import { MiB } from '../core/units.js'

/** Files (of at least TRIAL_MIN_BYTES) and bytes each way is timed on before one is kept. */
const TRIAL_FILES = 9
const TRIAL_BYTES = 4 * MiB
const TRIAL_MIN_BYTES = 64 * 1024
/** Split passes are kept only when clearly faster (the joint set is the default). */
const SPLIT_GAIN = 0.8

/** One pass of a split plan: a rule compiled alone (with the rules it names); only it reported. */
export interface Pass {
  rules: YaraX
  report: string
}

interface Sample {
  bytes: number
  /** Milliseconds per MiB of each timed file (the median shrugs off a preempted scan). */
  rates: number[]
}

/**
 * How the files of one guard outcome are scanned: with its rules as one compiled set, or (when
 * offered) in one pass per rule. Both give the same matches; which is faster depends on how the
 * rules' atoms combine in YARA-X's search (a few rules that are each nearly free alone can cost
 * 6x more together on machine code), so the first files are timed both ways, alternately, and
 * the way with the lower median time per MiB is kept (the split one only when clearly faster).
 */
export class ScanPlan {
  #choice: 'joint' | 'split' | undefined
  readonly #trial: Record<'joint' | 'split', Sample> = {
    joint: { bytes: 0, rates: [] },
    split: { bytes: 0, rates: [] },
  }

  constructor(
    readonly joint: YaraX,
    readonly split: readonly Pass[] | undefined,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!split) this.#choice = 'joint'
  }

  /** The way kept, or undefined while both are still being timed. */
  get choice(): 'joint' | 'split' | undefined {
    return this.#choice
  }

  run(scan: (rules: YaraX) => RuleMatch[], size: number): RuleMatch[] {
    const { joint, split } = this.#trial
    const mode = this.#choice ?? (split.bytes < joint.bytes ? 'split' : 'joint')
    const started = this.now()
    const out =
      mode === 'joint'
        ? scan(this.joint)
        : this.split!.flatMap((p) => scan(p.rules).filter((m) => m.ruleIdentifier === p.report))
    if (!this.#choice) this.#record(mode, size, this.now() - started)
    return out
  }

  #record(mode: 'joint' | 'split', size: number, ms: number): void {
    const s = this.#trial[mode]
    s.bytes += size
    if (size >= TRIAL_MIN_BYTES) s.rates.push(ms / (size / MiB))
    const { joint, split } = this.#trial
    const enough = (x: Sample) => x.bytes >= TRIAL_BYTES && x.rates.length >= TRIAL_FILES
    if (!enough(joint) || !enough(split)) return
    this.#choice = median(split.rates) < SPLIT_GAIN * median(joint.rates) ? 'split' : 'joint'
  }
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}
