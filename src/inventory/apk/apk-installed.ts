/**
 * Alpine packages from `lib/apk/db/installed`: blank-line separated records of `X:value` lines
 * (P name, V version, A arch, o origin, L license, m maintainer, c commit). Each record is one
 * package; purl `pkg:apk/alpine/NAME@VERSION?arch=`.
 */
import type { Artifact } from '../../core/artifact.js'
import type { ArtifactContext, Cataloger } from '../../core/plugin.js'
import type { Component } from '../../core/types.js'
import { fullPath, guarded, mergeByPurl, readText } from '../common.js'
import { applyOsRelease, isOsReleaseFile, osReleaseMarker, withSystemRoot } from '../os-release.js'
import { purlOf } from '../purl.js'

const ANCHOR = /lib\/apk\/db\/installed$/
const NAME = 'apk-installed'
const WANTED = new Set(['P', 'V', 'A', 'o', 'L', 'm', 'c'])

function records(text: string): { fields: Map<string, string>; line: number }[] {
  const out: { fields: Map<string, string>; line: number }[] = []
  let cur: Map<string, string> | undefined
  const lines = text.split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!
    if (line === '') {
      cur = undefined
      continue
    }
    if (line[1] !== ':') continue
    const key = line[0]!
    if (!cur) {
      cur = new Map()
      out.push({ fields: cur, line: i + 1 })
    }
    // File entries (F:, R:, Z: …) repeat; only the package fields matter, first value wins.
    if (WANTED.has(key) && !cur.has(key)) cur.set(key, line.slice(2))
  }
  return out
}

export function parseApkInstalled(text: string, location: string): Component[] {
  const out: Component[] = []
  for (const { fields: f, line } of records(text)) {
    const name = f.get('P')
    const version = f.get('V')
    if (!name || !version) continue
    const arch = f.get('A')
    const origin = f.get('o')
    const meta: Record<string, unknown> = { line }
    if (arch) meta.architecture = arch
    if (origin) meta.origin = origin
    if (f.get('L')) meta.license = f.get('L')
    if (f.get('c')) meta.commit = f.get('c')
    out.push({
      name,
      version,
      ecosystem: 'apk',
      purl: purlOf({
        type: 'apk',
        namespace: 'alpine',
        name,
        version,
        qualifiers: { arch, upstream: origin && origin !== name ? origin : undefined },
      }),
      locations: [location],
      foundBy: NAME,
      metadata: meta,
    })
  }
  return out
}

export const apkInstalledCataloger: Cataloger = {
  name: NAME,
  version: 1,
  wants: (a: Artifact) =>
    (a.name === 'installed' && /(?:^|\/)lib\/apk\/db\/installed$/.test(fullPath(a))) ||
    isOsReleaseFile(a),
  catalog: (a: Artifact, ctx: ArtifactContext) =>
    guarded(NAME, a, ctx, async () => {
      if (isOsReleaseFile(a)) return osReleaseMarker(a, NAME)
      return withSystemRoot(parseApkInstalled(await readText(a), a.path), fullPath(a), ANCHOR)
    }),
  finish: async (components) => mergeByPurl(applyOsRelease(components)),
}
