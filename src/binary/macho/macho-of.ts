import type { Artifact } from '../../core/artifact.js'
import { parseMachO } from './parse.js'
import type { MachOFile } from './types.js'

/** The artifact's parsed Mach-O, shared by every detector of one scan; `undefined` for other formats. */
export async function machoOf(a: Artifact): Promise<MachOFile | undefined> {
  if (a.type !== 'macho' && a.type !== 'macho-fat') return undefined
  return a.memo('macho', async () => parseMachO(await a.bytes()))
}
