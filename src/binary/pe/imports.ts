import { anomaly, DIR, PE_LIMITS, rvaToOffset } from './layout.js'
import { type ByteReader, OutOfBounds } from './reader.js'
import type { PeFile, PeImport, PeImportedFunction } from './types.js'

interface Budget {
  functions: number
}

/** Regular import descriptors (data directory 1), 20 bytes each, ended by an all-zero entry. */
export function parseImports(r: ByteReader, pe: PeFile, budget: Budget): void {
  const dir = pe.dataDirectories[DIR.import]
  if (!dir || dir.rva === 0) return
  const start = rvaToOffset(pe, dir.rva, 20)
  if (start === undefined) {
    anomaly(pe.anomalies, 'import-directory-unmapped', `import RVA 0x${dir.rva.toString(16)}`)
    return
  }
  for (let i = 0; i < PE_LIMITS.importDescriptors; i++) {
    const at = start + i * 20
    if (!r.has(at, 20)) {
      anomaly(pe.anomalies, 'import-directory-truncated', 'descriptor past end of file', at)
      return
    }
    const lookup = r.u32(at)
    const nameRva = r.u32(at + 12)
    const iat = r.u32(at + 16)
    if (lookup === 0 && nameRva === 0 && iat === 0) return
    const dll = stringAt(r, pe, nameRva)
    if (dll === undefined) {
      anomaly(pe.anomalies, 'import-name-unmapped', `descriptor ${i} name RVA unmapped`, at)
      continue
    }
    const functions = readThunks(r, pe, lookup !== 0 ? lookup : iat, 0, budget)
    pe.imports.push({ dll, delayLoad: false, functions })
  }
  anomaly(pe.anomalies, 'many-import-descriptors', `more than ${PE_LIMITS.importDescriptors}`)
}

/** Delay-load descriptors (data directory 13), 32 bytes each. */
export function parseDelayImports(r: ByteReader, pe: PeFile, budget: Budget): void {
  const dir = pe.dataDirectories[DIR.delayImport]
  if (!dir || dir.rva === 0) return
  const start = rvaToOffset(pe, dir.rva, 32)
  if (start === undefined) {
    anomaly(pe.anomalies, 'delay-import-directory-unmapped', `RVA 0x${dir.rva.toString(16)}`)
    return
  }
  for (let i = 0; i < PE_LIMITS.importDescriptors; i++) {
    const at = start + i * 32
    if (!r.has(at, 32)) {
      anomaly(pe.anomalies, 'delay-import-directory-truncated', 'descriptor past end', at)
      return
    }
    const attributes = r.u32(at)
    // Attribute bit 0 clear: the old (VC 6) form holding VAs instead of RVAs.
    const base = (attributes & 1) === 0 ? pe.imageBase : 0
    const nameRva = r.u32(at + 4)
    const names = r.u32(at + 16)
    if (nameRva === 0 && names === 0 && r.u32(at + 12) === 0) return
    const dll = stringAt(r, pe, nameRva - base)
    if (dll === undefined) {
      anomaly(pe.anomalies, 'delay-import-name-unmapped', `descriptor ${i}`, at)
      continue
    }
    pe.imports.push({
      dll,
      delayLoad: true,
      functions: readThunks(r, pe, names - base, base, budget),
    })
  }
}

function readThunks(
  r: ByteReader,
  pe: PeFile,
  rva: number,
  base: number,
  budget: Budget,
): PeImportedFunction[] {
  const out: PeImportedFunction[] = []
  const wide = pe.format === 'pe32+'
  const step = wide ? 8 : 4
  const start = rvaToOffset(pe, rva, step)
  if (start === undefined) {
    anomaly(pe.anomalies, 'import-thunks-unmapped', `thunk RVA 0x${rva.toString(16)}`)
    return out
  }
  for (let i = 0; i < PE_LIMITS.functionsPerImport; i++) {
    if (budget.functions <= 0) {
      anomaly(pe.anomalies, 'many-imported-functions', 'import budget exhausted')
      return out
    }
    const at = start + i * step
    if (!r.has(at, step)) {
      anomaly(pe.anomalies, 'import-thunks-truncated', 'thunk array past end', at)
      return out
    }
    const hi = wide ? r.u32(at + 4) : 0
    const lo = r.u32(at)
    if (hi === 0 && lo === 0) return out
    budget.functions--
    const byOrdinal = wide ? (hi & 0x8000_0000) !== 0 : (lo & 0x8000_0000) !== 0
    if (byOrdinal) {
      out.push({ ordinal: lo & 0xffff })
      continue
    }
    const hintRva = (wide ? lo : lo & 0x7fff_ffff) - base
    const off = rvaToOffset(pe, hintRva, 3)
    if (off === undefined) {
      anomaly(pe.anomalies, 'import-name-unmapped', `hint/name RVA 0x${hintRva.toString(16)}`, at)
      continue
    }
    out.push({ hint: r.u16(off), name: r.cstring(off + 2, PE_LIMITS.nameLength) })
  }
  return out
}

function stringAt(r: ByteReader, pe: PeFile, rva: number): string | undefined {
  const off = rvaToOffset(pe, rva)
  if (off === undefined) return undefined
  try {
    return r.cstring(off, PE_LIMITS.nameLength)
  } catch (e) {
    if (e instanceof OutOfBounds) return undefined
    throw e
  }
}

/** Imported library (lowercased) → function names (`#N` for ordinals), for summaries and diffs. */
export function importMap(imports: readonly PeImport[]): Record<string, string[]> {
  const map: Record<string, string[]> = Object.create(null)
  for (const imp of imports) {
    const key = imp.dll.toLowerCase()
    const names = imp.functions.map((f) => f.name ?? `#${f.ordinal}`)
    map[key] = [...(map[key] ?? []), ...names]
  }
  return map
}
