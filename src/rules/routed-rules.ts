import { closeSync, openSync, readSync } from 'node:fs'
import { compile, type RuleMatch, type YaraX } from '@litko/yara-x'
import {
  type Comparison,
  comparisonKey,
  conditionGuard,
  holds,
  MAX_GUARD_OFFSET,
} from './guards.js'
import { type Pass, ScanPlan, TRIAL_SAMPLE_BYTES } from './scan-plan.js'
import { parseYaraSource, type SourceRule } from './yara-source.js'

/** Bytes of a file read to evaluate header guards. */
export const HEADER_BYTES = MAX_GUARD_OFFSET + 4
/** Selections of at most this many rules may also be scanned one rule per pass (ScanPlan). */
const MAX_SPLIT = 12

interface RoutedRule {
  rule: SourceRule
  /** Indexes into `comparisons`, as a conjunction of disjunctions; empty: always scanned. */
  guard: number[][]
  /** Indexes of rules its condition refers to (compiled along with it). */
  deps: number[]
}

/**
 * One combined rule text, compiled as one rule set per distinct header-guard outcome: a file is
 * scanned only with the rules whose guards its first bytes and size satisfy (e.g. a PE-only rule
 * never runs over an ELF file), and not at all when no rule can match. Sets are compiled lazily
 * and cached; a text the splitter cannot follow is compiled whole and every file gets all of it.
 * Synchronous and single-threaded: each scan thread makes its own.
 */
export class RoutedRules {
  readonly #text: string
  readonly #imports: readonly string[]
  readonly #rules: readonly RoutedRule[]
  readonly #comparisons: readonly Comparison[]
  readonly #byOutcome = new Map<string, ScanPlan | null>()
  readonly #bySelection = new Map<string, ScanPlan | null>()
  readonly #alone = new Map<number, YaraX>()
  readonly #split: boolean
  #whole?: YaraX

  /** `split: false` keeps every selection in one compiled set (no per-rule passes tried). */
  constructor(text: string, opts: { split?: boolean } = {}) {
    this.#text = text
    this.#split = opts.split ?? true
    const parsed = parseYaraSource(text)
    const comparisons = new Map<string, number>()
    const all: Comparison[] = []
    const index = (c: Comparison) => {
      const key = comparisonKey(c)
      let i = comparisons.get(key)
      if (i === undefined) {
        i = all.push(c) - 1
        comparisons.set(key, i)
      }
      return i
    }
    const names = new Map((parsed?.rules ?? []).map((r, i) => [r.name, i]))
    this.#imports = parsed?.imports ?? []
    this.#rules = (parsed?.rules ?? []).map((rule) => ({
      rule,
      guard: rule.global ? [] : conditionGuard(rule.condition).map((or) => or.map(index)),
      deps: dependencies(rule, names),
    }))
    this.#comparisons = all
    if (!parsed) this.#wholeSet()
  }

  /** The whole text compiled as one set (when it cannot be split, or a subset did not compile). */
  #wholeSet(): YaraX {
    if (!this.#whole) this.#whole = compile(this.#text) as YaraX
    return this.#whole
  }

  /** Rules and distinct guard comparisons found (0 rules: the text is compiled whole). */
  get shape(): { rules: number; guarded: number; comparisons: number } {
    return {
      rules: this.#rules.length,
      guarded: this.#rules.filter((r) => r.guard.length > 0).length,
      comparisons: this.#comparisons.length,
    }
  }

  /** How the guard outcomes seen so far are scanned: rules in each, and the way kept. */
  get plans(): { rules: number; choice: string }[] {
    return [...this.#byOutcome.values()].flatMap((p) =>
      p ? [{ rules: p.split?.length ?? 0, choice: p.choice ?? 'timing' }] : [],
    )
  }

  /** Scans a file on disk (memory-mapped) of `size` bytes. */
  scanFile(path: string, size: number): RuleMatch[] {
    if (this.#whole) return this.#whole.scanFile(path)
    const plan = this.planFor(readStart(path, HEADER_BYTES), size)
    return plan
      ? plan.run(
          (r) => r.scanFile(path),
          size,
          () => readStart(path, TRIAL_SAMPLE_BYTES),
        )
      : []
  }

  scan(bytes: Buffer): RuleMatch[] {
    if (this.#whole) return this.#whole.scan(bytes)
    const plan = this.planFor(bytes, bytes.length)
    return plan
      ? plan.run(
          (r) => r.scan(bytes),
          bytes.length,
          () => bytes.subarray(0, TRIAL_SAMPLE_BYTES),
        )
      : []
  }

  /** The plan for a file with this header and size; undefined when no rule can match. */
  planFor(header: Uint8Array, size: number): ScanPlan | undefined {
    let outcome = ''
    for (const c of this.#comparisons) outcome += holds(c, header, size) ? '1' : '0'
    let plan = this.#byOutcome.get(outcome)
    if (plan === undefined) {
      plan = this.#planSelection(this.#select(outcome))
      this.#byOutcome.set(outcome, plan)
    }
    return plan ?? undefined
  }

  #select(outcome: string): number[] {
    const chosen = new Set<number>()
    this.#rules.forEach((r, i) => {
      if (r.guard.every((or) => or.some((c) => outcome[c] === '1'))) {
        for (const j of closure(i, this.#rules)) chosen.add(j)
      }
    })
    return [...chosen].sort((a, b) => a - b)
  }

  #planSelection(selection: number[]): ScanPlan | null {
    const key = selection.join(',')
    let plan = this.#bySelection.get(key)
    if (plan !== undefined) return plan
    plan =
      selection.length === 0
        ? null
        : new ScanPlan(this.#compile(selection), this.#passes(selection))
    this.#bySelection.set(key, plan)
    return plan
  }

  /** One pass per reported rule, when the selection is small and has no global rule. */
  #passes(selection: number[]): Pass[] | undefined {
    const rules = selection.map((i) => this.#rules[i]!.rule)
    const reported = selection.filter((i) => !this.#rules[i]!.rule.private)
    if (!this.#split || selection.length > MAX_SPLIT || reported.length < 2) return undefined
    if (rules.some((r) => r.global)) return undefined
    return reported.map((i) => {
      let alone = this.#alone.get(i)
      if (!alone) {
        alone = this.#compile(closure(i, this.#rules))
        this.#alone.set(i, alone)
      }
      return { rules: alone, report: this.#rules[i]!.rule.name }
    })
  }

  /** The selected rules as one set, with the imports they use (the whole text if that fails). */
  #compile(selection: number[]): YaraX {
    const rules = selection.map((i) => this.#rules[i]!.rule)
    const used = this.#imports.filter((m) =>
      rules.some((r) => r.condition.some((t) => t.kind === 'ident' && t.text === m)),
    )
    const text = [
      ...used.map((m) => `import "${m}"`),
      ...rules.map((r) => this.#text.slice(r.start, r.end)),
    ].join('\n')
    try {
      return compile(text) as YaraX
    } catch {
      return this.#wholeSet()
    }
  }
}

/** A rule and every rule it needs, in source order. */
function closure(i: number, rules: readonly RoutedRule[]): number[] {
  const out = new Set<number>()
  const add = (j: number) => {
    if (out.has(j)) return
    out.add(j)
    for (const d of rules[j]!.deps) add(d)
  }
  add(i)
  return [...out].sort((a, b) => a - b)
}

/** Rules a condition names, directly or by a `Prefix*` rule-set wildcard. */
function dependencies(rule: SourceRule, names: ReadonlyMap<string, number>): number[] {
  const out = new Set<number>()
  const toks = rule.condition
  toks.forEach((t, i) => {
    if (t.kind !== 'ident') return
    const exact = names.get(t.text)
    if (exact !== undefined && t.text !== rule.name) out.add(exact)
    if (toks[i + 1]?.text === '*') {
      for (const [n, j] of names) if (n.startsWith(t.text) && n !== rule.name) out.add(j)
    }
  })
  return [...out]
}

/** The first `bytes` bytes of a file (fewer when it is shorter). */
function readStart(path: string, bytes: number): Buffer {
  const fd = openSync(path, 'r')
  try {
    const buf = Buffer.allocUnsafe(bytes)
    return buf.subarray(0, readSync(fd, buf, 0, bytes, 0))
  } finally {
    closeSync(fd)
  }
}
