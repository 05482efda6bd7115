/**
 * The distribution a system's OS packages belong to, from `etc/os-release` or
 * `usr/lib/os-release` (systemd's format: `KEY=value`, values optionally quoted). The OS package
 * catalogers (dpkg, apk, rpm) also want these files, turn them into marker components, and in
 * finish() give every package of the same system root its distribution: `metadata.distro`
 * (ID), `metadata.distroRelease` (VERSION_ID), purl namespace = ID and qualifier
 * `distro=ID-VERSION_ID`. A package without an os-release under its own root takes the only
 * os-release of the scan, if there is exactly one.
 */
import type { Artifact } from '../core/artifact.js'
import type { Component } from '../core/types.js'
import { decodeText, fullPath, stableOrder } from './common.js'
import { parsePurl, purlOf } from './purl.js'

const OS_RELEASE = /^(.*?)(?:etc|usr\/lib)\/os-release$/
const MARKER = 'osRelease'

export interface OsRelease {
  id: string
  versionId?: string
  codename?: string
  root: string
}

export function isOsReleasePath(path: string): boolean {
  return OS_RELEASE.test(path)
}

/** Is the artifact an os-release file? Its name is checked first: wants() sees every artifact. */
export function isOsReleaseFile(a: Artifact): boolean {
  return a.name === 'os-release' && isOsReleasePath(fullPath(a))
}

export function parseOsRelease(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const line of text.split(/\r?\n/)) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim())
    if (!m) continue
    out[m[1]!] = m[2]!.replace(/^(["'])(.*)\1$/, '$2').replace(/\\(.)/g, '$1')
  }
  return out
}

/** A marker component carrying the os-release facts (dropped again by finish). */
export async function osReleaseMarker(a: Artifact, foundBy: string): Promise<Component[]> {
  const path = fullPath(a)
  const root = OS_RELEASE.exec(path)?.[1]
  const f = parseOsRelease(decodeText(await a.bytes()))
  if (root === undefined || !f.ID || !/^[a-z0-9._-]+$/.test(f.ID)) return []
  const os: OsRelease = { id: f.ID, root }
  if (f.VERSION_ID) os.versionId = f.VERSION_ID
  if (f.VERSION_CODENAME) os.codename = f.VERSION_CODENAME
  return [
    {
      name: f.ID,
      version: f.VERSION_ID ?? '',
      ecosystem: 'os-release',
      purl: '',
      locations: [a.path],
      foundBy,
      metadata: { [MARKER]: os },
    },
  ]
}

/** The system root of a package database path (`/var/lib/dpkg/status` → `/`). */
export function systemRoot(path: string, anchor: RegExp): string | undefined {
  const m = anchor.exec(path)
  return m ? path.slice(0, m.index) : undefined
}

const ROOT_KEY = 'systemRoot'

/** Records the system root of the database path on each component (removed by applyOsRelease). */
export function withSystemRoot(components: Component[], path: string, anchor: RegExp): Component[] {
  const root = systemRoot(path, anchor)
  return components.map((c) => ({ ...c, metadata: { ...c.metadata, [ROOT_KEY]: root } }))
}

function takeRoot(c: Component): string | undefined {
  const root = c.metadata?.[ROOT_KEY]
  if (c.metadata) delete c.metadata[ROOT_KEY]
  return typeof root === 'string' ? root : undefined
}

/** Applies the distribution to OS package components and drops the markers. */
export function applyOsRelease(unordered: Component[]): Component[] {
  const components = stableOrder(unordered)
  const markers = components.flatMap((c) =>
    c.metadata?.[MARKER] ? [c.metadata[MARKER] as OsRelease] : [],
  )
  const packages = components.filter((c) => !c.metadata?.[MARKER])
  const ids = new Set(markers.map((m) => `${m.id}\0${m.versionId ?? ''}`))
  for (const c of packages) {
    const root = takeRoot(c)
    const os = markers.find((m) => m.root === root) ?? (ids.size === 1 ? markers[0] : undefined)
    if (os) withDistro(c, os)
  }
  return packages
}

function withDistro(c: Component, os: OsRelease): void {
  c.metadata = { ...c.metadata, distro: os.id }
  if (os.versionId) c.metadata.distroRelease = os.versionId
  if (os.codename) c.metadata.distroCodename = os.codename
  const p = parsePurl(c.purl)
  if (!p) return
  c.purl = purlOf({
    type: p.type,
    namespace: os.id,
    name: p.name,
    version: p.version ?? undefined,
    qualifiers: {
      ...(p.qualifiers ?? {}),
      distro: os.versionId ? `${os.id}-${os.versionId}` : os.id,
    },
  })
}
