import type { Artifact } from '../core/artifact.js'
import { errorMessage } from '../core/errors.js'
import type { ArtifactContext, Detector } from '../core/plugin.js'
import type { Finding, Problem } from '../core/types.js'
import type { Intel } from '../intel/intel.js'
import { ruleFinding } from './findings.js'
import { RulePool, RuleTimeoutError } from './pool.js'
import {
  bundledRuleSources,
  type CombinedRules,
  combineRuleSources,
  intelRuleSources,
} from './sources.js'

/** Rule files are not rule-scanned: every rule matches its own source text. */
const RULE_FILE = /\.(yar|yara)$/i

interface Engine {
  pool?: RulePool
  rules: CombinedRules
}

/**
 * YARA rules on YARA-X: the bundled rules, the loaded intel's rule records and `--intel` rule files,
 * compiled once per scan into a pool of two workers (each with its own compiled copy). Plain files
 * are scanned by path (memory-mapped); archive members by their bytes. A file over
 * `limits.ruleTimeoutMs` is abandoned with a Problem.
 */
export function yaraDetector(opts: { workers?: number } = {}): Detector {
  let engine: Promise<Engine> | undefined
  let reported = false
  const start = (intel: Intel, timeoutMs: number): Promise<Engine> => {
    engine ??= (async () => {
      const rules = combineRuleSources([
        ...(await bundledRuleSources()),
        ...intelRuleSources(intel),
      ])
      if (!rules.text) return { rules }
      return {
        rules,
        pool: await RulePool.create(rules.text, { workers: opts.workers ?? 2, timeoutMs }),
      }
    })()
    return engine
  }
  return {
    name: 'rule/yara',
    version: 1,
    layer: 'rule',
    wants: (a) => a.size > 0 && !RULE_FILE.test(a.name),
    async detect(a: Artifact, ctx: ArtifactContext): Promise<Finding[]> {
      if (a.size > ctx.limits.maxParseBytes) return []
      const { pool, rules } = await start(ctx.intel, ctx.limits.ruleTimeoutMs)
      if (!reported) {
        reported = true
        for (const p of rules.problems) ctx.problem(p)
      }
      if (!pool) return []
      try {
        const matches = a.fsPath
          ? await pool.scanFile(a.fsPath)
          : await pool.scanBytes(await a.bytes())
        return matches.map((m) => ruleFinding(a.path, m, rules.byRule.get(m.ruleIdentifier)))
      } catch (err) {
        const p: Problem = {
          stage: 'rules',
          path: a.path,
          level: 'error',
          message:
            err instanceof RuleTimeoutError
              ? `YARA scan abandoned: ${err.message}`
              : `YARA scan failed: ${errorMessage(err)}`,
        }
        ctx.problem(p)
        return []
      }
    },
    async finish() {
      const e = await engine
      engine = undefined
      reported = false
      await e?.pool?.close()
      return []
    },
  }
}
