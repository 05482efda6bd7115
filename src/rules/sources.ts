import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { validate } from '@litko/yara-x'
import type { Problem } from '../core/types.js'
import { yaraRuleNames } from '../intel/importers/yara.js'
import type { Intel } from '../intel/intel.js'
import type { YaraRuleRecord } from '../intel/records.js'

/** The project's own rules, shipped in the package (`intel/rules/*.yar`). */
export const BUNDLED_RULES_DIR = fileURLToPath(new URL('../../intel/rules/', import.meta.url))

/** One rule file's text and where it came from; `namespace` groups its rules in findings. */
export interface RuleSource {
  namespace: string
  text: string
  origin: string
  record?: YaraRuleRecord
}

export async function bundledRuleSources(dir = BUNDLED_RULES_DIR): Promise<RuleSource[]> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.yar')).sort()
  const out: RuleSource[] = []
  for (const n of names) {
    const origin = join(dir, n)
    out.push({ namespace: 'vigil', text: await readFile(origin, 'utf8'), origin })
  }
  return out
}

export function intelRuleSources(intel: Intel): RuleSource[] {
  return intel.yara.map((record) => ({
    namespace: record.source,
    text: record.text,
    origin: record.file ?? `${record.source}:${record.id}`,
    record,
  }))
}

/** One compiled rule set: the joined text, and for each rule name the source it came from. */
export interface CombinedRules {
  text: string
  byRule: Map<string, RuleSource>
  problems: Problem[]
}

/**
 * Joins rule sources into one text to compile once. A source that does not compile alone, or
 * declares a rule name already taken, is left out with an error Problem naming its file and line.
 */
export function combineRuleSources(sources: readonly RuleSource[]): CombinedRules {
  const byRule = new Map<string, RuleSource>()
  const parts: string[] = []
  const problems: Problem[] = []
  for (const s of sources) {
    const err = validate(s.text).errors[0]
    if (err) {
      const at = /-->\s*[^\n]*?:(\d+):(\d+)/.exec(err.message)
      problems.push({
        stage: 'rules',
        path: s.origin,
        level: 'error',
        message: `rule file not used: ${at ? `line ${at[1]}, column ${at[2]}: ` : ''}${err.message.split('\n')[0]}`,
      })
      continue
    }
    const names = yaraRuleNames(s.text)
    const clash = names.find((n) => byRule.has(n))
    if (clash) {
      problems.push({
        stage: 'rules',
        path: s.origin,
        level: 'error',
        message: `rule file not used: rule '${clash}' is already defined by ${byRule.get(clash)!.origin}`,
      })
      continue
    }
    for (const n of names) byRule.set(n, s)
    parts.push(s.text)
  }
  return { text: parts.join('\n'), byRule, problems }
}
