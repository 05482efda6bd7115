/**
 * Test helpers: artifacts from buffers or files on disk, and a run of catalogers over them that
 * mirrors the scan pipeline (wants → catalog → finish). Used by the inventory tests only.
 */
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { basename, join, relative, sep } from 'node:path'
import type { Artifact, FileType } from '../core/artifact.js'
import { DEFAULT_LIMITS } from '../core/limits.js'
import type { ArtifactContext, Cataloger, FinishContext } from '../core/plugin.js'
import type { Component, Problem } from '../core/types.js'
import { buildIntel } from '../intel/build-index.js'

export function sniffType(b: Buffer): FileType {
  if (b.length >= 2 && b[0] === 0x4d && b[1] === 0x5a) return 'pe'
  if (b.length >= 4 && b.readUInt32BE(0) === 0x7f454c46) return 'elf'
  if (b.length >= 4) {
    const m = b.readUInt32BE(0)
    if (m === 0xcafebabe && b.length >= 8 && b.readUInt32BE(4) < 64) return 'macho-fat'
    if ([0xfeedface, 0xfeedfacf, 0xcefaedfe, 0xcffaedfe].includes(m)) return 'macho'
    if (m === 0x504b0304) return 'zip'
  }
  return 'other'
}

export function memArtifact(
  path: string,
  data: Buffer | string,
  extra: { fsPath?: string; resourcesBeside?: boolean; type?: FileType } = {},
): Artifact {
  const buf = typeof data === 'string' ? Buffer.from(data) : data
  const memo = new Map<string, Promise<unknown>>()
  return {
    path,
    name: path.split('/').pop() ?? path,
    size: buf.length,
    type: extra.type ?? sniffType(buf),
    hashes: { sha256: createHash('sha256').update(buf).digest('hex') },
    ...(extra.fsPath ? { fsPath: extra.fsPath } : {}),
    ...(extra.resourcesBeside !== undefined && { resourcesBeside: extra.resourcesBeside }),
    depth: path.split('!/').length - 1,
    bytes: async () => buf,
    memo<T>(key: string, make: () => Promise<T> | T): Promise<T> {
      let p = memo.get(key) as Promise<T> | undefined
      if (!p) {
        p = Promise.resolve().then(make)
        memo.set(key, p)
      }
      return p
    },
  }
}

/** An artifact for a file on disk, its report path relative to `root`. */
export function fsArtifact(root: string, file: string): Artifact {
  const rel = relative(root, file).split(sep).join('/') || basename(file)
  return memArtifact(rel, readFileSync(file), { fsPath: file })
}

/** Every regular file under `dir` for which `keep(path)` holds (symlinks are not followed). */
export function walkFiles(dir: string, keep: (path: string) => boolean): string[] {
  const out: string[] = []
  const visit = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name)
      if (e.isDirectory()) visit(p)
      else if (e.isFile() && keep(p) && statSync(p).size > 0) out.push(p)
    }
  }
  visit(dir)
  return out
}

export interface CatalogRun {
  components: Component[]
  problems: Problem[]
}

/** The context a cataloger is given per artifact, collecting its problems into `problems`. */
export function artifactContext(problems: Problem[] = []): ArtifactContext {
  return {
    intel: buildIntel([], []),
    limits: DEFAULT_LIMITS,
    signal: new AbortController().signal,
    problem: (p) => problems.push(p),
    summarize: () => {},
  }
}

/** Runs catalogers like the scan pipeline does: per artifact, then each cataloger's finish(). */
export async function runCatalogers(
  catalogers: Cataloger[],
  artifacts: Artifact[],
): Promise<CatalogRun> {
  const problems: Problem[] = []
  const ctx = artifactContext(problems)
  const components: Component[] = []
  for (const c of catalogers) {
    let mine: Component[] = []
    for (const a of artifacts) if (c.wants(a)) mine.push(...(await c.catalog(a, ctx)))
    if (c.finish) {
      const fctx: FinishContext = { ...ctx, components: mine, binaries: [], files: () => artifacts }
      mine = await c.finish(mine, fctx)
    }
    components.push(...mine)
  }
  return { components, problems }
}

/** `name@version` of each component, sorted and unique. */
export function nameVersions(components: readonly Component[]): string[] {
  return [...new Set(components.map((c) => `${c.name}@${c.version}`))].sort()
}
