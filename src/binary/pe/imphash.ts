import { createHash } from 'node:crypto'
import { imphashOrdinalName } from './imphash-ordinals.js'
import type { PeImport } from './types.js'

const STRIPPED_EXTENSIONS = new Set(['ocx', 'sys', 'dll'])

/**
 * Mandiant's imphash as pefile, YARA and VirusTotal compute it: for each regular import in file
 * order `dll.function`, lowercased, the DLL name without an .ocx/.sys/.dll extension, ordinals
 * resolved through the frozen oleaut32/ws2_32/wsock32 tables or written `ordN`; joined by `,`
 * and MD5-hashed. Delay-load imports are not part of it. `undefined` with no regular imports.
 */
export function imphash(imports: readonly PeImport[]): string | undefined {
  const parts: string[] = []
  for (const imp of imports) {
    if (imp.delayLoad) continue
    const dll = imp.dll.toLowerCase()
    const dot = dll.lastIndexOf('.')
    const lib = dot >= 0 && STRIPPED_EXTENSIONS.has(dll.slice(dot + 1)) ? dll.slice(0, dot) : dll
    for (const f of imp.functions) {
      const fn = f.name ?? (f.ordinal !== undefined ? imphashOrdinalName(dll, f.ordinal) : '')
      if (fn) parts.push(`${lib}.${fn.toLowerCase()}`)
    }
  }
  if (parts.length === 0) return undefined
  return createHash('md5').update(parts.join(','), 'latin1').digest('hex')
}
