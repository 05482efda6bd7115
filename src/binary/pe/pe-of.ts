import type { Artifact } from '../../core/artifact.js'
import { parsePe } from './parse.js'
import type { PeFile } from './types.js'

/** The parsed PE of an artifact, shared by every detector and cataloger of one scan. */
export function peOf(a: Artifact): Promise<PeFile | undefined> {
  if (a.type !== 'pe') return Promise.resolve(undefined)
  return a.memo('pe', async () => parsePe(await a.bytes()))
}
