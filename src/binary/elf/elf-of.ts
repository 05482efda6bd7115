import type { Artifact } from '../../core/artifact.js'
import { parseElf } from './parse.js'
import type { ElfFile } from './types.js'

/** The artifact's parsed ELF, shared by every detector and cataloger of one scan; `undefined` for other formats. */
export async function elfOf(a: Artifact): Promise<ElfFile | undefined> {
  if (a.type !== 'elf') return undefined
  return a.memo('elf', async () => parseElf(await a.bytes()))
}
