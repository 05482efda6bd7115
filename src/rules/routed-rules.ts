import { closeSync, openSync, readSync } from 'node:fs'
import { compile, type RuleMatch, type YaraX } from '@litko/yara-x'
import {
  type Comparison,
  comparisonKey,
  conditionGuard,
  holds,
  MAX_GUARD_OFFSET,
} from './guards.js'
import { parseYaraSource, type SourceRule } from './yara-source.js'

/** Bytes of a file read to evaluate header guards. */
export const HEADER_BYTES = MAX_GUARD_OFFSET + 4

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
  readonly #byOutcome = new Map<string, YaraX | null>()
  readonly #bySelection = new Map<string, YaraX | null>()
  #whole?: YaraX

  constructor(text: string) {
    this.#text = text
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

  /** Scans a file on disk (memory-mapped) of `size` bytes. */
  scanFile(path: string, size: number): RuleMatch[] {
    const rules = this.rulesFor(this.#whole ? new Uint8Array(0) : readHeader(path), size)
    return rules ? rules.scanFile(path) : []
  }

  scan(bytes: Buffer): RuleMatch[] {
    const rules = this.rulesFor(bytes, bytes.length)
    return rules ? rules.scan(bytes) : []
  }

  /** The compiled set for a file with this header and size; undefined when no rule can match. */
  rulesFor(header: Uint8Array, size: number): YaraX | undefined {
    if (this.#whole) return this.#whole
    let outcome = ''
    for (const c of this.#comparisons) outcome += holds(c, header, size) ? '1' : '0'
    let set = this.#byOutcome.get(outcome)
    if (set === undefined) {
      set = this.#compileSelection(this.#select(outcome))
      this.#byOutcome.set(outcome, set)
    }
    return set ?? undefined
  }

  #select(outcome: string): number[] {
    const chosen = new Set<number>()
    const add = (i: number) => {
      if (chosen.has(i)) return
      chosen.add(i)
      for (const d of this.#rules[i]!.deps) add(d)
    }
    this.#rules.forEach((r, i) => {
      if (r.guard.every((or) => or.some((c) => outcome[c] === '1'))) add(i)
    })
    return [...chosen].sort((a, b) => a - b)
  }

  #compileSelection(selection: number[]): YaraX | null {
    const key = selection.join(',')
    let set = this.#bySelection.get(key)
    if (set !== undefined) return set
    if (selection.length === 0) set = null
    else {
      const rules = selection.map((i) => this.#rules[i]!.rule)
      const used = this.#imports.filter((m) =>
        rules.some((r) => r.condition.some((t) => t.kind === 'ident' && t.text === m)),
      )
      const text = [
        ...used.map((m) => `import "${m}"`),
        ...rules.map((r) => this.#text.slice(r.start, r.end)),
      ].join('\n')
      try {
        set = compile(text) as YaraX
      } catch {
        set = this.#wholeSet()
      }
    }
    this.#bySelection.set(key, set)
    return set
  }
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

function readHeader(path: string): Uint8Array {
  const fd = openSync(path, 'r')
  try {
    const buf = Buffer.allocUnsafe(HEADER_BYTES)
    return buf.subarray(0, readSync(fd, buf, 0, HEADER_BYTES, 0))
  } finally {
    closeSync(fd)
  }
}
