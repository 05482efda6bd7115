import type { RuleMatch } from '@litko/yara-x'
import type { Artifact } from '../core/artifact.js'
import { errorMessage, InputError } from '../core/errors.js'
import type { ArtifactContext, Detector } from '../core/plugin.js'
import type { Finding } from '../core/types.js'
import { MiB } from '../core/units.js'
import type { Intel } from '../intel/intel.js'
import { ruleFinding } from './findings.js'
import { RoutedRules } from './routed-rules.js'
import {
  bundledRuleSources,
  type CombinedRules,
  combineRuleSources,
  intelRuleSources,
} from './sources.js'

/** Rule files are not rule-scanned: every rule matches its own source text. */
const RULE_FILE = /\.(yar|yara)$/i
/** Plain files at least this large are scanned by path (memory-mapped) unless already in memory. */
const MAP_FROM_BYTES = 1 * MiB

interface Engine {
  rules: CombinedRules
  routed?: RoutedRules
}

/** The bundled rules, the intel's rule records and `--intel` rule files, joined and checked. */
export async function combinedRules(intel: Intel): Promise<CombinedRules> {
  return combineRuleSources([...(await bundledRuleSources()), ...intelRuleSources(intel)])
}

/**
 * YARA rules on YARA-X, scanned synchronously in the calling thread (each scan thread has its own
 * detector, so the rules are compiled lazily once per thread, into one set per header-guard
 * outcome: see RoutedRules). Plain files over 1 MiB not already in memory are scanned by path
 * (memory-mapped), everything else from its bytes. Rule files that do not compile are reported
 * once per scan by `finish` (on the main thread), not by each thread. The binding has no scan
 * timeout, so a scan over `limits.ruleTimeoutMs` is reported when it returns.
 */
export function yaraDetector(): Detector {
  let engine: { intel: Intel; ready: Promise<Engine> } | undefined
  const load = (intel: Intel): Promise<Engine> => {
    if (engine?.intel !== intel) {
      engine = { intel, ready: combinedRules(intel).then((rules) => ({ rules })) }
    }
    return engine.ready
  }
  return {
    name: 'rule/yara',
    version: 2,
    layer: 'rule',
    wants: (a) => a.size > 0 && !RULE_FILE.test(a.name),
    async detect(a: Artifact, ctx: ArtifactContext): Promise<Finding[]> {
      if (a.size > ctx.limits.maxParseBytes) return []
      const e = await load(ctx.intel)
      if (!e.rules.text) return []
      try {
        e.routed ??= new RoutedRules(e.rules.text)
        const matches = await scanArtifact(e.routed, a, ctx)
        return matches.map((m) => ruleFinding(a.path, m, e.rules.byRule.get(m.ruleIdentifier)))
      } catch (err) {
        if (err instanceof InputError) throw err // unreadable or too large: the pipeline says so
        ctx.problem({
          stage: 'rules',
          path: a.path,
          level: 'error',
          message: `YARA scan failed: ${errorMessage(err)}`,
        })
        return []
      }
    },
    async finish(ctx) {
      for (const p of (await load(ctx.intel)).rules.problems) ctx.problem(p)
      return []
    },
  }
}

async function scanArtifact(
  routed: RoutedRules,
  a: Artifact,
  ctx: ArtifactContext,
): Promise<RuleMatch[]> {
  const byPath = a.fsPath !== undefined && !a.inMemory && a.size >= MAP_FROM_BYTES
  const bytes = byPath ? undefined : await a.bytes()
  const started = performance.now()
  const matches = bytes ? routed.scan(bytes) : routed.scanFile(a.fsPath!, a.size)
  const ms = performance.now() - started
  if (ms > ctx.limits.ruleTimeoutMs) {
    ctx.problem({
      stage: 'rules',
      path: a.path,
      level: 'warning',
      message: `YARA scan took ${Math.round(ms)} ms, over the ${ctx.limits.ruleTimeoutMs} ms limit (the engine cannot stop a scan midway; a rule with nested loops over the file is the usual cause)`,
    })
  }
  return matches
}
