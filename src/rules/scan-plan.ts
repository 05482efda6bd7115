import type { RuleMatch, YaraX } from '@litko/yara-x'
import { MiB } from '../core/units.js'

/** Files whose sample is timed each way before one way is kept for good. */
const TRIAL_FILES = 9
/** Bytes of a file's start that a trial scans both ways (results discarded; only time kept). */
export const TRIAL_SAMPLE_BYTES = 1 * MiB
/** Files smaller than this are not timed (too quick to measure). */
const TRIAL_MIN_BYTES = 64 * 1024
/** Split passes are kept only when clearly faster (the joint set is the default). */
const SPLIT_GAIN = 0.8

/** One pass of a split plan: a rule compiled alone (with the rules it names); only it reported. */
export interface Pass {
  rules: YaraX
  report: string
}

type Way = 'joint' | 'split'

/**
 * How the files of one guard outcome are scanned: with its rules as one compiled set, or (when
 * offered) in one pass per rule. Both give the same matches; which is faster depends on how the
 * rules' atoms combine in YARA-X's search (a few rules that are each nearly free alone can cost
 * 6x more together on machine code). While undecided, the start of each file (up to
 * TRIAL_SAMPLE_BYTES) is scanned both ways, in alternating order, and only timed; the whole file
 * is scanned once, the way faster so far. After TRIAL_FILES samples the way with the lower median
 * time per MiB is kept (the split one only when clearly faster). A trial thus costs at most two
 * sample scans per file, however large the file, and never runs a whole file the slow way twice.
 */
export class ScanPlan {
  #choice: Way | undefined
  readonly #rates: Record<Way, number[]> = { joint: [], split: [] }

  constructor(
    readonly joint: YaraX,
    readonly split: readonly Pass[] | undefined,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!split) this.#choice = 'joint'
  }

  /** The way kept, or undefined while both are still being timed. */
  get choice(): Way | undefined {
    return this.#choice
  }

  /**
   * Scans one file of `size` bytes: `scan` runs a compiled set over the whole file; `sample`
   * gives the file's first bytes (at most TRIAL_SAMPLE_BYTES) for a trial.
   */
  run(scan: (rules: YaraX) => RuleMatch[], size: number, sample: () => Buffer): RuleMatch[] {
    if (!this.#choice && size >= TRIAL_MIN_BYTES) this.#trial(sample())
    return this.#scanWith(this.#choice ?? this.#leader(), scan)
  }

  #scanWith(way: Way, scan: (rules: YaraX) => RuleMatch[]): RuleMatch[] {
    if (way === 'joint') return scan(this.joint)
    return this.split!.flatMap((p) => scan(p.rules).filter((m) => m.ruleIdentifier === p.report))
  }

  #trial(sample: Buffer): void {
    if (sample.length < TRIAL_MIN_BYTES) return
    const order: Way[] =
      this.#rates.joint.length % 2 === 0 ? ['joint', 'split'] : ['split', 'joint']
    for (const way of order) {
      const started = this.now()
      this.#scanWith(way, (rules) => rules.scan(sample))
      this.#rates[way].push((this.now() - started) / (sample.length / MiB))
    }
    if (this.#rates.joint.length >= TRIAL_FILES) this.#choice = this.#leader()
  }

  /** The faster way on the samples so far (joint unless split is clearly faster). */
  #leader(): Way {
    const { joint, split } = this.#rates
    if (joint.length === 0) return 'joint'
    return median(split) < SPLIT_GAIN * median(joint) ? 'split' : 'joint'
  }
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}
