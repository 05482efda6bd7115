/**
 * Windows applications from the VERSIONINFO of PE files (peOf), grouped per directory.
 *
 * catalog(): one provisional entry per PE file (identity from CompanyName + ProductName, or
 * FileDescription when there is no ProductName; version from ProductVersion, else FileVersion,
 * else the fixed-info versions — see bestVersion()). finish(): per directory,
 * - EXEs are grouped by identity (vendor/product); each group is one component, represented by
 *   its main executable: the EXE whose file name matches the product name (`3CXDesktopApp.exe`
 *   ↔ "3CX Desktop App"), else the largest EXE of the group;
 * - the directory's primary group is the one whose identity the most PE files of the directory
 *   share (ties: the group with the largest main EXE). Every DLL of the directory, and every PE
 *   without a version resource, is listed under the primary component in `metadata.files` with
 *   its own identity (`d3dcompiler_47.dll` stays "Microsoft … 10.0.19041.1"), so the diff and
 *   structure layers can name them;
 * - a directory without EXEs yields one component per DLL identity (main file: the largest).
 * Component: name = ProductName, ecosystem `windows-app`, vendor/product slugs,
 * purl `pkg:generic/VENDOR/PRODUCT@VERSION`, `metadata.platform: 'windows'`.
 */

import { peOf } from '../../binary/pe/pe-of.js'
import type { Artifact } from '../../core/artifact.js'
import type { ArtifactContext, Cataloger } from '../../core/plugin.js'
import type { Component } from '../../core/types.js'
import { dirOf, guarded, stableOrder, str } from '../common.js'
import { companyFromNotice, productIdentity } from '../identity.js'
import { purlOf } from '../purl.js'
import { bestVersion } from './version-string.js'

const NAME = 'windows-app'
const FILE_KEY = 'windowsFile'

/** What catalog() records per PE file, carried to finish() in the provisional component. */
export interface PeFileIdentity {
  path: string
  fileName: string
  isDll: boolean
  size: number
  sha256: string
  company?: string
  productName?: string
  description?: string
  fileVersion?: string
  productVersion?: string
  originalFilename?: string
  /** Cleaned version used for the component. */
  version?: string
  vendor?: string
  product?: string
}

async function identify(a: Artifact): Promise<PeFileIdentity | undefined> {
  const pe = await peOf(a)
  if (!pe) return undefined
  const s = pe.versionInfo?.strings ?? {}
  const id: PeFileIdentity = {
    path: a.path,
    fileName: a.name,
    isDll: pe.isDll,
    size: a.size,
    sha256: a.hashes.sha256,
  }
  const set = (k: keyof PeFileIdentity, v: string | undefined) => {
    if (v) (id as unknown as Record<string, unknown>)[k] = v
  }
  set('company', str(s.CompanyName))
  set('productName', str(s.ProductName))
  set('description', str(s.FileDescription))
  set('fileVersion', str(s.FileVersion))
  set('productVersion', str(s.ProductVersion))
  set('originalFilename', str(s.OriginalFilename))
  const product = id.productName ?? id.description
  const version = bestVersion(
    id.productVersion,
    id.fileVersion,
    pe.versionInfo?.fixed?.productVersion,
    pe.versionInfo?.fixed?.fileVersion,
  )
  if (product && version) {
    const ident = productIdentity(companyFromNotice(id.company), product)
    if (ident.product) {
      id.version = version
      id.vendor = ident.vendor
      id.product = ident.product
    }
  }
  return id
}

function provisional(id: PeFileIdentity): Component {
  return {
    name: id.productName ?? id.description ?? id.fileName,
    version: id.version ?? '',
    ecosystem: 'windows-app',
    purl: '',
    locations: [id.path],
    foundBy: NAME,
    metadata: { [FILE_KEY]: id },
  }
}

const key = (f: PeFileIdentity) => (f.vendor && f.product ? `${f.vendor}/${f.product}` : undefined)
const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '')

/** How well an EXE fits as the product's main executable (higher is better). */
function mainScore(f: PeFileIdentity): [number, number] {
  const base = squash(f.fileName.replace(/\.[^.]*$/, ''))
  const prod = squash(f.productName ?? f.description ?? '')
  const named =
    base !== '' && (base === prod || squash(f.originalFilename ?? '') === squash(f.fileName))
  return [base === prod ? 2 : named ? 1 : 0, f.size]
}

function pickMain(files: PeFileIdentity[]): PeFileIdentity {
  return [...files].sort((x, y) => {
    const [a1, a2] = mainScore(x)
    const [b1, b2] = mainScore(y)
    return b1 - a1 || b2 - a2 || x.path.localeCompare(y.path)
  })[0]!
}

function fileEntry(f: PeFileIdentity, main: PeFileIdentity): Record<string, unknown> {
  const e: Record<string, unknown> = { path: f.path, sha256: f.sha256, size: f.size }
  if (f.company) e.company = f.company
  if (f.productName) e.productName = f.productName
  if (f.fileVersion) e.fileVersion = f.fileVersion
  if (f.vendor) e.vendor = f.vendor
  if (f.product) e.product = f.product
  if (f.version) e.version = f.version
  e.sameProduct = key(f) !== undefined && key(f) === key(main)
  return e
}

function appComponent(
  main: PeFileIdentity,
  group: PeFileIdentity[],
  files?: PeFileIdentity[],
): Component {
  const meta: Record<string, unknown> = {
    platform: 'windows',
    mainExecutable: main.path,
  }
  if (main.company) meta.companyName = main.company
  if (main.productName) meta.productName = main.productName
  if (main.fileVersion) meta.fileVersion = main.fileVersion
  if (main.productVersion) meta.productVersion = main.productVersion
  if (files && files.length > 0) meta.files = files.map((f) => fileEntry(f, main))
  return {
    name: main.productName ?? main.description ?? main.fileName,
    version: main.version!,
    ecosystem: 'windows-app',
    purl: purlOf({
      type: 'generic',
      namespace: main.vendor,
      name: main.product!,
      version: main.version,
    }),
    locations: [...new Set(group.map((f) => f.path))].sort(),
    foundBy: NAME,
    vendor: main.vendor!,
    product: main.product!,
    metadata: meta,
  }
}

function groupBy(files: PeFileIdentity[]): Map<string, PeFileIdentity[]> {
  const m = new Map<string, PeFileIdentity[]>()
  for (const f of files) {
    const k = key(f)
    if (!k) continue
    const list = m.get(k) ?? []
    list.push(f)
    m.set(k, list)
  }
  return m
}

/** Groups one directory's PE files into application components. */
export function groupDirectory(files: PeFileIdentity[]): Component[] {
  const exeGroups = groupBy(files.filter((f) => !f.isDll))
  if (exeGroups.size === 0) {
    return [...groupBy(files).values()].map((g) =>
      appComponent([...g].sort((x, y) => y.size - x.size)[0]!, g),
    )
  }
  const share = new Map<string, number>()
  for (const f of files) {
    const k = key(f)
    if (k) share.set(k, (share.get(k) ?? 0) + 1)
  }
  const groups = [...exeGroups.entries()].map(([k, g]) => ({ k, g, main: pickMain(g) }))
  groups.sort((x, y) => (share.get(y.k) ?? 0) - (share.get(x.k) ?? 0) || y.main.size - x.main.size)
  const others = files.filter((f) => f.isDll || !key(f))
  return groups.map(({ g, main }, i) =>
    appComponent(main, g, i === 0 ? [...g, ...others] : undefined),
  )
}

export async function finishWindowsApps(components: Component[]): Promise<Component[]> {
  const byDir = new Map<string, PeFileIdentity[]>()
  for (const c of stableOrder(components)) {
    const id = c.metadata?.[FILE_KEY] as PeFileIdentity | undefined
    if (!id) continue
    const d = dirOf(id.path)
    const list = byDir.get(d) ?? []
    list.push(id)
    byDir.set(d, list)
  }
  const out: Component[] = []
  for (const files of byDir.values()) {
    files.sort((x, y) => x.path.localeCompare(y.path))
    out.push(...groupDirectory(files))
  }
  return out.sort(
    (x, y) => x.purl.localeCompare(y.purl) || x.locations[0]!.localeCompare(y.locations[0]!),
  )
}

export const windowsAppCataloger: Cataloger = {
  name: NAME,
  version: 1,
  wants: (a: Artifact) => a.type === 'pe',
  catalog: (a: Artifact, ctx: ArtifactContext) =>
    guarded(NAME, a, ctx, async () => {
      const id = await identify(a)
      return id ? [provisional(id)] : []
    }),
  finish: finishWindowsApps,
}
