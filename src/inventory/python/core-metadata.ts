/**
 * Installed Python distributions: core metadata (an RFC 822 header block) in
 * `*.dist-info/METADATA`, `*.egg-info/PKG-INFO`, `EGG-INFO/PKG-INFO` inside `.egg` directories,
 * and the single-file `*.egg-info` that old distutils installs write. Name and Version are
 * required; the header block ends at the first blank line (the description follows).
 */
import type { Artifact } from '../../core/artifact.js'
import type { ArtifactContext, Cataloger } from '../../core/plugin.js'
import type { Component } from '../../core/types.js'
import { guarded, mergeByPurl, readText } from '../common.js'
import { pypiComponent } from './pypi-component.js'

const NAME = 'python-installed'
const MAX_HEADER_LINES = 10_000

/** Header fields of a core-metadata block; repeated fields keep every value. */
export function parseHeaders(text: string): Map<string, string[]> {
  const fields = new Map<string, string[]>()
  let last: string[] | undefined
  const lines = text.split(/\r?\n/)
  for (let i = 0; i < lines.length && i < MAX_HEADER_LINES; i++) {
    const line = lines[i]!
    if (line.trim() === '') break
    if (/^[ \t]/.test(line) && last && last.length > 0) {
      last[last.length - 1] += `\n${line.trim()}`
      continue
    }
    const colon = line.indexOf(':')
    if (colon <= 0) continue
    const key = line.slice(0, colon).trim().toLowerCase()
    const list = fields.get(key) ?? []
    list.push(line.slice(colon + 1).trim())
    fields.set(key, list)
    last = list
  }
  return fields
}

export function parseCoreMetadata(text: string, location: string): Component[] {
  const h = parseHeaders(text)
  const name = h.get('name')?.[0]
  const version = h.get('version')?.[0]
  if (!name || !version) return []
  const meta: Record<string, unknown> = {}
  const license = h.get('license')?.[0]
  if (license && license.length < 200) meta.license = license
  const mv = h.get('metadata-version')?.[0]
  if (mv) meta.metadataVersion = mv
  return [pypiComponent(name, version, location, NAME, meta)]
}

export function isCoreMetadataPath(path: string): boolean {
  return (
    /\.dist-info\/METADATA$/.test(path) ||
    /(?:\.egg-info|\/EGG-INFO)\/PKG-INFO$/.test(path) ||
    (/\.egg-info$/.test(path) && !path.endsWith('/.egg-info'))
  )
}

export const pythonInstalledCataloger: Cataloger = {
  name: NAME,
  version: 1,
  wants: (a: Artifact) =>
    (a.name === 'METADATA' || a.name === 'PKG-INFO' || a.name.endsWith('.egg-info')) &&
    isCoreMetadataPath(a.path),
  catalog: (a: Artifact, ctx: ArtifactContext) =>
    guarded(NAME, a, ctx, async () => parseCoreMetadata(await readText(a), a.path)),
  finish: async (components) => mergeByPurl(components),
}
