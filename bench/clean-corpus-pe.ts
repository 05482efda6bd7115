/**
 * Clean corpus for the PE structure layer (issue 3): every Windows PE under the given roots
 * (default: /usr and node_modules; found by MZ…PE headers, whatever the file name) goes through
 * the PE detectors (signature, certificate padding, overlay, side-loading); a clean machine must
 * give zero high or critical findings. Prints counts per severity and signature state, and exits
 * 1 when any high/critical finding appears.
 *
 *   npx tsx bench/clean-corpus-pe.ts [ROOT...]
 */
import { closeSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { loadRegistered } from '../src/core/registered.js'
import { DETECTORS } from '../src/detectors.js'
import { bufferArtifact, runDetectors } from '../src/structure/pe-testing.js'

const roots = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['/usr', 'node_modules']
const PE_DETECTORS = /^structure\/(pe-|side-loading)/

function isPe(path: string): boolean {
  const fd = openSync(path, 'r')
  try {
    const head = Buffer.alloc(1024)
    const n = readSync(fd, head, 0, 1024, 0)
    if (n < 64 || head.readUInt16LE(0) !== 0x5a4d) return false
    const e = head.readUInt32LE(0x3c)
    return e + 4 <= n && head.readUInt32LE(e) === 0x4550
  } finally {
    closeSync(fd)
  }
}

function findPes(root: string, out: string[] = []): string[] {
  let entries: import('node:fs').Dirent[]
  try {
    entries = readdirSync(root, { withFileTypes: true })
  } catch {
    return out
  }
  for (const e of entries) {
    const p = join(root, e.name)
    if (e.isDirectory()) findPes(p, out)
    else if (e.isFile()) {
      try {
        if (statSync(p).size >= 512 && isPe(p)) out.push(p)
      } catch {
        // unreadable: not part of the corpus
      }
    }
  }
  return out
}

const t0 = performance.now()
const files = roots.flatMap((r) => findPes(r))
const found = performance.now() - t0
const detectors = (await loadRegistered(DETECTORS)).filter((d) => PE_DETECTORS.test(d.name))
const artifacts = files.map((f) => bufferArtifact(relative('/', f), readFileSync(f)))
const t1 = performance.now()
const run = await runDetectors(detectors, artifacts)
const ms = performance.now() - t1

const bySeverity: Record<string, number> = { critical: 0, high: 0, medium: 0, low: 0, info: 0 }
const byRule: Record<string, number> = {}
for (const f of run.findings) {
  bySeverity[f.severity] = (bySeverity[f.severity] ?? 0) + 1
  byRule[`${f.severity} ${f.ruleId}`] = (byRule[`${f.severity} ${f.ruleId}`] ?? 0) + 1
}
const states: Record<string, number> = {}
for (const s of run.summaries) states[String(s.signature)] = (states[String(s.signature)] ?? 0) + 1
const bytes = artifacts.reduce((n, a) => n + a.size, 0)
console.log(`roots: ${roots.join(', ')}`)
console.log(`PE files: ${files.length} (${(bytes / 2 ** 20).toFixed(1)} MiB)`)
console.log(`signature states: ${JSON.stringify(states)}`)
console.log(`findings by severity: ${JSON.stringify(bySeverity)}`)
console.log(`findings by rule: ${JSON.stringify(byRule)}`)
for (const f of run.findings.slice(0, 20)) {
  console.log(`  ${f.severity} ${f.ruleId} ${f.locations[0]?.path}: ${f.message.slice(0, 200)}`)
}
console.log(`problems: ${run.problems.length}`)
for (const p of run.problems.slice(0, 10)) console.log(`  ${p.path}: ${p.message}`)
console.log(`time: find ${(found / 1000).toFixed(1)} s, detect ${(ms / 1000).toFixed(1)} s`)
process.exit(bySeverity.high! + bySeverity.critical! > 0 ? 1 : 0)
