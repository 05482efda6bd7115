/**
 * Debian packages from dpkg's database: `var/lib/dpkg/status` and the one-file-per-package
 * `var/lib/dpkg/status.d/*` of distroless images (`*.md5sums` skipped).
 * A package counts when its Status says it is installed (`<want> ok installed`: held packages
 * included; config-files, half-installed, not-installed excluded). status.d files carry no Status
 * field: a paragraph without one counts. One component per package and architecture
 * (multi-arch `libc6:amd64` and `libc6:i386` are two); purl `pkg:deb/debian/NAME@VERSION?arch=`.
 */
import type { Artifact } from '../../core/artifact.js'
import type { ArtifactContext, Cataloger } from '../../core/plugin.js'
import type { Component } from '../../core/types.js'
import { fullPath, guarded, mergeByPurl, readText } from '../common.js'
import { applyOsRelease, isOsReleaseFile, osReleaseMarker, withSystemRoot } from '../os-release.js'
import { purlOf } from '../purl.js'
import { parseParagraphs } from './deb822.js'

const ANCHOR = /var\/lib\/dpkg\/status(?:\.d\/[^/]+)?$/
const NAME = 'dpkg-status'

export function isInstalledStatus(status: string | undefined): boolean {
  if (status === undefined) return true
  const [, eflag, state] = status.split(/\s+/)
  return eflag === 'ok' && state === 'installed'
}

/** `Source: glibc (2.36-9)` → name and optional version of the source package. */
function sourceOf(source: string | undefined): { name?: string; version?: string } {
  const m = source ? /^(\S+)(?:\s+\(([^)]+)\))?/.exec(source) : null
  if (!m) return {}
  return m[2] ? { name: m[1]!, version: m[2] } : { name: m[1]! }
}

export function parseDpkgStatus(text: string, location: string): Component[] {
  const out: Component[] = []
  for (const p of parseParagraphs(text)) {
    const f = p.fields
    const name = f.get('package')
    const version = f.get('version')
    if (!name || !version || !isInstalledStatus(f.get('status'))) continue
    const arch = f.get('architecture')
    const src = sourceOf(f.get('source'))
    const meta: Record<string, unknown> = { line: p.line }
    if (arch) meta.architecture = arch
    if (src.name) meta.source = src.name
    if (src.version) meta.sourceVersion = src.version
    const maintainer = f.get('maintainer')
    if (maintainer) meta.maintainer = maintainer
    out.push({
      name,
      version,
      ecosystem: 'deb',
      purl: purlOf({
        type: 'deb',
        namespace: 'debian',
        name,
        version,
        qualifiers: { arch, upstream: src.name && src.name !== name ? src.name : undefined },
      }),
      locations: [location],
      foundBy: NAME,
      metadata: meta,
    })
  }
  return out
}

export function isDpkgStatusPath(path: string): boolean {
  if (/(?:^|\/)var\/lib\/dpkg\/status$/.test(path)) return true
  return /(?:^|\/)var\/lib\/dpkg\/status\.d\/[^/]+$/.test(path) && !path.endsWith('.md5sums')
}

export const dpkgStatusCataloger: Cataloger = {
  name: NAME,
  version: 1,
  wants: (a: Artifact) =>
    ((a.name === 'status' || (a.fsPath ?? a.path).includes('status.d')) &&
      isDpkgStatusPath(fullPath(a))) ||
    (a.name === 'status' && a.path === 'status') ||
    isOsReleaseFile(a),
  catalog: (a: Artifact, ctx: ArtifactContext) =>
    guarded(NAME, a, ctx, async () => {
      if (isOsReleaseFile(a)) return osReleaseMarker(a, NAME)
      return withSystemRoot(parseDpkgStatus(await readText(a), a.path), fullPath(a), ANCHOR)
    }),
  finish: async (components) => mergeByPurl(applyOsRelease(components)),
}
