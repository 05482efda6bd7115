/**
 * Clean corpus for the ELF and Mach-O structure layer (issue 3): every ELF and Mach-O under the
 * given roots (default: /usr and node_modules) goes through the Mach-O and ELF detectors; a clean
 * machine must give zero high or critical findings. Prints counts per severity and exits 1 when
 * any high/critical finding appears.
 *
 *   npx tsx bench/clean-corpus-unix.ts [ROOT...]
 */
import { loadRegistered } from '../src/core/registered.js'
import { DETECTORS } from '../src/detectors.js'
import { findBinaries, runCorpus } from '../src/structure/corpus-run.js'

const roots = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['/usr', 'node_modules']
const detectors = (await loadRegistered(DETECTORS)).filter((d) =>
  /^structure\/(macho|elf)/.test(d.name),
)
const t0 = performance.now()
const files = findBinaries(roots)
const found = performance.now() - t0
const r = await runCorpus(files, detectors)
console.log(`roots: ${roots.join(', ')}`)
console.log(
  `files: ${r.files} (${Object.entries(r.byType)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ')})`,
)
console.log(`Mach-O signature states: ${JSON.stringify(r.signatures)}`)
console.log(`findings by severity: ${JSON.stringify(r.bySeverity)}`)
const byRule: Record<string, number> = {}
for (const f of r.findings)
  byRule[`${f.severity} ${f.ruleId}`] = (byRule[`${f.severity} ${f.ruleId}`] ?? 0) + 1
console.log(`findings by rule: ${JSON.stringify(byRule)}`)
for (const f of r.findings.filter((x) => x.severity !== 'info').slice(0, 20))
  console.log(`  ${f.severity} ${f.ruleId} ${f.locations[0]?.path}: ${f.message.slice(0, 160)}`)
console.log(`parse warnings: ${r.problems.length}`)
for (const p of r.problems.slice(0, 10)) console.log(`  ${p.path}: ${p.message}`)
console.log(`time: find ${(found / 1000).toFixed(1)} s, detect ${(r.ms / 1000).toFixed(1)} s`)
process.exit(r.bySeverity.high + r.bySeverity.critical > 0 ? 1 : 0)
