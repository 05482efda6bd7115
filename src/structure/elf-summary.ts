import { elfOf } from '../binary/elf/elf-of.js'
import type { ElfFile } from '../binary/elf/types.js'
import type { Artifact } from '../core/artifact.js'
import type { ArtifactContext, Detector } from '../core/plugin.js'
import type { BinarySummary, Finding } from '../core/types.js'

const NAME = 'structure/elf'
/** Exported names kept per summary (large libraries export tens of thousands). */
export const MAX_SUMMARY_EXPORTS = 2000

/**
 * Publishes one BinarySummary per ELF file (soname, needed libraries with the symbols imported from
 * each, exports, versions, build-id, sections with entropy), which inventory, diff and the server
 * reuse. Parse anomalies become warnings.
 */
export const elfSummaryDetector: Detector = {
  name: NAME,
  version: 1,
  layer: 'structure',
  wants: (a) => a.type === 'elf',
  async detect(a: Artifact, ctx: ArtifactContext): Promise<Finding[]> {
    const elf = await elfOf(a)
    if (!elf) return []
    ctx.summarize(elfSummary(a.path, elf))
    if (elf.anomalies.length > 0) {
      const first = elf.anomalies[0]!
      ctx.problem({
        stage: NAME,
        path: a.path,
        level: 'warning',
        message: `malformed ELF: ${first.message}${elf.anomalies.length > 1 ? ` (+${elf.anomalies.length - 1} more)` : ''}`,
      })
    }
    return []
  },
}

export function elfSummary(path: string, elf: ElfFile): BinarySummary {
  const libByVersion = new Map<string, string>()
  for (const [lib, versions] of Object.entries(elf.versionNeeds)) {
    const key = lib.toLowerCase()
    for (const v of versions) libByVersion.set(v, key)
  }
  const imports: Record<string, string[]> = {}
  for (const lib of elf.needed) imports[lib.toLowerCase()] = []
  const exports: string[] = []
  for (const s of elf.dynamicSymbols) {
    if (!s.name) continue
    if (!s.defined) {
      const lib = (s.version && libByVersion.get(s.version)) || '*'
      const list = imports[lib] ?? []
      list.push(s.name)
      imports[lib] = list
    } else if (s.binding !== 'LOCAL') exports.push(s.name)
  }
  const summary: BinarySummary = {
    path,
    format: 'elf',
    arch: elf.machine,
    elfType: elf.sharedLibrary ? 'shared-library' : elf.type,
    imports,
    exports: smallestSorted(exports, MAX_SUMMARY_EXPORTS),
    exportCount: exports.length,
    sections: elf.sections
      .filter((s) => s.name)
      .map((s) => ({ name: s.name, size: s.size, entropy: s.entropy })),
  }
  if (elf.soname) summary.soname = elf.soname
  if (elf.needed.length > 0) summary.needed = elf.needed
  if (elf.interpreter) summary.interpreter = elf.interpreter
  if (elf.buildId) summary.buildId = elf.buildId
  if (elf.goBuildId) summary.goBuildId = elf.goBuildId
  if (elf.versionDefinitions.length > 0) summary.versionDefinitions = elf.versionDefinitions
  if (elf.runpath) summary.runpath = elf.runpath
  if (elf.rpath) summary.rpath = elf.rpath
  if (elf.packageNote) summary.packageNote = elf.packageNote
  if (elf.overlay) {
    summary.overlay = {
      offset: elf.overlay.offset,
      size: elf.overlay.size,
      entropy: elf.overlay.entropy,
    }
  }
  return summary
}

/**
 * `list.sort().slice(0, k)` without sorting all of a large list: the k-th smallest name is found
 * by selection, then only the names up to it are sorted. May reorder `list`.
 */
export function smallestSorted(list: string[], k: number): string[] {
  if (list.length <= k) return list.sort()
  if (k <= 0) return []
  const last = kthSmallest(list.slice(), k - 1)
  const out = list.filter((s) => s < last)
  while (out.length < k) out.push(last)
  return out.sort()
}

/** The value at index k of the sorted list (quickselect, three-way partition); reorders `a`. */
function kthSmallest(a: string[], k: number): string {
  let lo = 0
  let hi = a.length - 1
  // Bounded rounds: names crafted against the pivot choice fall back to a sort of what is left.
  for (let round = 0; round < 64 && lo < hi; round++) {
    const p = median(a[lo]!, a[(lo + hi) >>> 1]!, a[hi]!)
    let lt = lo
    let i = lo
    let gt = hi
    while (i <= gt) {
      const x = a[i]!
      if (x < p) swap(a, lt++, i++)
      else if (x > p) swap(a, i, gt--)
      else i++
    }
    if (k < lt) hi = lt - 1
    else if (k > gt) lo = gt + 1
    else return p
  }
  return a.slice(lo, hi + 1).sort()[k - lo]!
}

function median(x: string, y: string, z: string): string {
  if (x < y) return y < z ? y : x < z ? z : x
  return x < z ? x : y < z ? z : y
}

function swap(a: string[], i: number, j: number): void {
  const t = a[i]!
  a[i] = a[j]!
  a[j] = t
}
