import { join } from 'node:path'
import type { BinarySummary, FileEntry } from '../core/types.js'
import type { FilePairing } from './pair.js'
import type { ReleaseSnapshot } from './snapshot.js'

/** What a second look at one file on disk gives: its binary summaries and embedded strings. */
export interface FileFacts {
  binaries: BinarySummary[]
  strings?: FileEntry['strings']
}

/** Reads the facts of one file of a release; `undefined` when it cannot be read. */
export type FactsReader = (fsPath: string, role: 'old' | 'new') => Promise<FileFacts | undefined>

const BINARY_TYPES = new Set(['pe', 'elf', 'macho', 'macho-fat'])

/**
 * Completes the sides that were scanned in a quick first pass: only the changed binaries need
 * summaries and strings, so only they are read again. A release of 500 MB with a few changed
 * files costs a few files' parsing instead of a second full parse.
 */
export async function completeChanged(
  oldSide: ReleaseSnapshot,
  newSide: ReleaseSnapshot,
  pairing: FilePairing,
  read: FactsReader,
): Promise<[ReleaseSnapshot, ReleaseSnapshot]> {
  const changed = pairing.changed.filter(
    (p) => BINARY_TYPES.has(p.old.type) || BINARY_TYPES.has(p.new.type),
  )
  return [
    await completeSide(
      oldSide,
      'old',
      changed.map((p) => p.old),
      read,
    ),
    await completeSide(
      newSide,
      'new',
      changed.map((p) => p.new),
      read,
    ),
  ]
}

async function completeSide(
  side: ReleaseSnapshot,
  role: 'old' | 'new',
  files: readonly FileEntry[],
  read: FactsReader,
): Promise<ReleaseSnapshot> {
  const root = side.root
  if (root === undefined) return side
  const known = new Set(side.binaries.map((b) => b.path))
  const binaries = [...side.binaries]
  const strings = new Map<string, FileEntry['strings']>()
  for (const f of files) {
    if (f.path.includes('!/')) continue
    const facts = await read(join(root, f.path), role)
    if (!facts) continue
    if (!known.has(f.path)) binaries.push(...facts.binaries.map((b) => ({ ...b, path: f.path })))
    if (facts.strings) strings.set(f.path, facts.strings)
  }
  const withStrings = side.files.map((f) => {
    const s = strings.get(f.path)
    return s ? { ...f, strings: s } : f
  })
  return { ...side, files: withStrings, binaries }
}
