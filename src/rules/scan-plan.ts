import type { RuleMatch, YaraX } from '@litko/yara-x'
import { MiB } from '../core/units.js'

/** Bytes and files each way is timed on before the faster one is kept. */
const TRIAL_BYTES = 16 * MiB
const TRIAL_FILES = 8
/** Split passes are kept only when clearly faster (the joint set is the default). */
const SPLIT_GAIN = 0.8

/** One pass of a split plan: a rule compiled alone (with the rules it names); only it reported. */
export interface Pass {
  rules: YaraX
  report: string
}

interface Sample {
  bytes: number
  files: number
  ms: number
}

/**
 * How the files of one guard outcome are scanned: with its rules as one compiled set, or (when
 * offered) in one pass per rule. Both give the same matches; which is faster depends on how the
 * rules' atoms combine in YARA-X's search (a few rules that are each nearly free alone can cost
 * 6x more together on machine code), so the first files are timed both ways, alternately, and
 * the faster way is kept.
 */
export class ScanPlan {
  #choice: 'joint' | 'split' | undefined
  readonly #trial: Record<'joint' | 'split', Sample> = {
    joint: { bytes: 0, files: 0, ms: 0 },
    split: { bytes: 0, files: 0, ms: 0 },
  }

  constructor(
    readonly joint: YaraX,
    readonly split: readonly Pass[] | undefined,
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
    const started = performance.now()
    const out =
      mode === 'joint'
        ? scan(this.joint)
        : this.split!.flatMap((p) => scan(p.rules).filter((m) => m.ruleIdentifier === p.report))
    if (!this.#choice) this.#record(mode, size, performance.now() - started)
    return out
  }

  #record(mode: 'joint' | 'split', size: number, ms: number): void {
    const s = this.#trial[mode]
    s.bytes += size
    s.files += 1
    s.ms += ms
    const { joint, split } = this.#trial
    const enough = (x: Sample) => x.bytes >= TRIAL_BYTES && x.files >= TRIAL_FILES
    if (!enough(joint) || !enough(split)) return
    const faster = split.ms / split.bytes < SPLIT_GAIN * (joint.ms / joint.bytes)
    this.#choice = faster ? 'split' : 'joint'
  }
}
