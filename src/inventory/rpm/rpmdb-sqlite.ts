/**
 * RPM packages from `rpmdb.sqlite` (RPM ≥ 4.16, Fedora 33+, RHEL 9): each row of the `Packages`
 * table is one header blob, parsed by parseRpmHeader(). Version is `[EPOCH:]VERSION-RELEASE` as
 * `rpm -q` prints it; purl `pkg:rpm/NAMESPACE/NAME@VERSION-RELEASE?arch=&epoch=` with the
 * namespace from the vendor when known. A `-wal` file beside the database is not read (rpm
 * checkpoints it on close).
 */
import type { Artifact } from '../../core/artifact.js'
import type { ArtifactContext, Cataloger } from '../../core/plugin.js'
import type { Component } from '../../core/types.js'
import { fullPath, guarded, mergeByPurl } from '../common.js'
import { vendorSlug } from '../identity.js'
import { applyOsRelease, isOsReleaseFile, osReleaseMarker, withSystemRoot } from '../os-release.js'
import { purlOf } from '../purl.js'
import { parseRpmHeader, RPMTAG, type RpmHeader } from './header.js'
import { openSqliteBytes } from './sqlite.js'

const ANCHOR = /(?:var\/lib\/rpm|usr\/lib\/sysimage\/rpm)\/rpmdb\.sqlite$/
const NAME = 'rpm-db-sqlite'

/** purl namespace of an RPM vendor: the distribution's usual id, else the vendor slug. */
export function rpmNamespace(vendor: string): string {
  const v = vendor.toLowerCase()
  const known: [string, string][] = [
    ['fedora', 'fedora'],
    ['red hat', 'redhat'],
    ['centos', 'centos'],
    ['rocky', 'rocky'],
    ['almalinux', 'almalinux'],
    ['amazon', 'amazon'],
    ['opensuse', 'opensuse'],
    ['suse', 'suse'],
    ['oracle', 'oracle'],
  ]
  return known.find(([k]) => v.includes(k))?.[1] ?? vendorSlug(vendor)
}

export function rpmComponent(h: RpmHeader, location: string, row: number): Component | undefined {
  const s = (t: number) => h.strings.get(t)
  const name = s(RPMTAG.NAME)
  const ver = s(RPMTAG.VERSION)
  const rel = s(RPMTAG.RELEASE)
  if (!name || !ver) return undefined
  const epoch = h.ints.get(RPMTAG.EPOCH)
  const vr = rel ? `${ver}-${rel}` : ver
  const arch = s(RPMTAG.ARCH)
  const vendor = s(RPMTAG.VENDOR)
  const meta: Record<string, unknown> = { row }
  if (arch) meta.architecture = arch
  if (epoch !== undefined) meta.epoch = epoch
  if (vendor) meta.vendor = vendor
  if (s(RPMTAG.SOURCERPM)) meta.sourceRpm = s(RPMTAG.SOURCERPM)
  if (s(RPMTAG.LICENSE)) meta.license = s(RPMTAG.LICENSE)
  if (h.anomalies.length > 0) meta.anomalies = h.anomalies
  return {
    name,
    version: epoch !== undefined ? `${epoch}:${vr}` : vr,
    ecosystem: 'rpm',
    purl: purlOf({
      type: 'rpm',
      namespace: vendor ? rpmNamespace(vendor) : undefined,
      name,
      version: vr,
      qualifiers: { arch, epoch: epoch !== undefined ? String(epoch) : undefined },
    }),
    locations: [location],
    foundBy: NAME,
    metadata: meta,
  }
}

export function parseRpmdbSqlite(bytes: Buffer, location: string): Component[] {
  const db = openSqliteBytes(bytes)
  try {
    const out: Component[] = []
    for (const r of db.prepare('SELECT hnum, blob FROM Packages ORDER BY hnum').iterate()) {
      if (!(r.blob instanceof Uint8Array)) continue
      const c = rpmComponent(parseRpmHeader(r.blob), location, Number(r.hnum))
      if (c) out.push(c)
    }
    return out
  } finally {
    db.close()
  }
}

export const rpmdbSqliteCataloger: Cataloger = {
  name: NAME,
  version: 1,
  wants: (a: Artifact) => a.name === 'rpmdb.sqlite' || isOsReleaseFile(a),
  catalog: (a: Artifact, ctx: ArtifactContext) =>
    guarded(NAME, a, ctx, async () => {
      if (isOsReleaseFile(a)) return osReleaseMarker(a, NAME)
      return withSystemRoot(parseRpmdbSqlite(await a.bytes(), a.path), fullPath(a), ANCHOR)
    }),
  finish: async (components) => mergeByPurl(applyOsRelease(components)),
}
