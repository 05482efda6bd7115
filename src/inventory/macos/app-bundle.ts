/**
 * macOS application bundles and embedded frameworks from their Info.plist (XML or binary, via
 * parsePlist): `X.app/Contents/Info.plist` and `Y.framework/Resources/Info.plist` (also the
 * real `Y.framework/Versions/<v>/Resources/Info.plist`).
 * - Name: CFBundleDisplayName, else CFBundleName, else the bundle's directory name.
 * - Version: CFBundleShortVersionString, else CFBundleVersion (cleaned, see cleanVersion());
 *   both raw strings and CFBundleIdentifier are kept in metadata.
 * - Vendor: the company in NSHumanReadableCopyright ("Copyright © 2023 3CX Ltd" → `3cx`), else
 *   the organisation label of CFBundleIdentifier (`com.acme.app` → `acme`) unless it is a generic
 *   one (electron, github …), else the product slug.
 * - Bundles nested inside another app (helpers, login items) are not separate components: finish()
 *   lists them in the enclosing app's `metadata.helpers`. Frameworks are their own components.
 * Ecosystem `macos-app`, purl `pkg:generic/VENDOR/PRODUCT@VERSION`, `metadata.platform: 'macos'`.
 */

import { parsePlist } from '../../binary/plist/parse.js'
import { isDict, type PlistDict } from '../../binary/plist/types.js'
import type { Artifact } from '../../core/artifact.js'
import type { ArtifactContext, Cataloger } from '../../core/plugin.js'
import type { Component } from '../../core/types.js'
import { guarded, mergeByPurl, stableOrder } from '../common.js'
import { companyFromNotice, productIdentity } from '../identity.js'
import { purlOf } from '../purl.js'
import { cleanVersion } from '../windows/version-string.js'

const NAME = 'macos-app-bundle'
const APP_PLIST = /(?:^|\/)([^/]+\.app)\/Contents\/Info\.plist$/
const FRAMEWORK_PLIST = /(?:^|\/)([^/]+\.framework)\/(?:Versions\/[^/]+\/)?Resources\/Info\.plist$/
const GENERIC_ORGS = new Set([
  'electron',
  'github',
  'electronjs',
  'example',
  'yourcompany',
  'mycompany',
  'squirrel',
])

export function isBundlePlist(path: string): boolean {
  return APP_PLIST.test(path) || FRAMEWORK_PLIST.test(path)
}

const text = (d: PlistDict, k: string): string | undefined => {
  const v = d[k]
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined
}

function orgFromIdentifier(id: string | undefined): string | undefined {
  const org = id?.split('.')[1]?.toLowerCase()
  return org && !GENERIC_ORGS.has(org) ? org : undefined
}

/** The path of the bundle directory this plist belongs to, and its kind. */
function bundleOf(path: string): { dir: string; kind: 'app' | 'framework' } | undefined {
  const app = APP_PLIST.exec(path)
  if (app) return { dir: path.slice(0, path.length - '/Contents/Info.plist'.length), kind: 'app' }
  const fw = FRAMEWORK_PLIST.exec(path)
  if (fw)
    return {
      dir: path.slice(0, path.indexOf(`${fw[1]}/`, fw.index) + fw[1]!.length),
      kind: 'framework',
    }
  return undefined
}

export function bundleComponent(plist: Uint8Array, path: string): Component[] {
  const bundle = bundleOf(path)
  const parsed = parsePlist(plist)
  if (!bundle || !isDict(parsed.value)) {
    if (parsed.anomalies.length > 0)
      throw new Error(`Info.plist unreadable: ${parsed.anomalies[0]!.message}`)
    return []
  }
  const d = parsed.value
  const dirName = bundle.dir
    .split('/')
    .pop()!
    .replace(/\.(app|framework)$/, '')
  const name = text(d, 'CFBundleDisplayName') ?? text(d, 'CFBundleName') ?? dirName
  const short = text(d, 'CFBundleShortVersionString')
  const build = text(d, 'CFBundleVersion')
  const version = cleanVersion(short) ?? cleanVersion(build)
  if (!version) return []
  const identifier = text(d, 'CFBundleIdentifier')
  const company =
    companyFromNotice(text(d, 'NSHumanReadableCopyright')) ?? orgFromIdentifier(identifier)
  const { vendor, product } = productIdentity(company, name)
  const meta: Record<string, unknown> = {
    platform: 'macos',
    bundle: bundle.dir,
    bundleKind: bundle.kind,
  }
  if (identifier) meta.bundleIdentifier = identifier
  if (short) meta.shortVersion = short
  if (build) meta.bundleVersion = build
  if (parsed.format !== 'unknown') meta.plistFormat = parsed.format
  return [
    {
      name,
      version,
      ecosystem: 'macos-app',
      purl: purlOf({ type: 'generic', namespace: vendor, name: product, version }),
      locations: [path],
      foundBy: NAME,
      vendor,
      product,
      metadata: meta,
    },
  ]
}

/** Nested apps fold into the enclosing app's `helpers`; frameworks stay. */
export async function finishBundles(unordered: Component[]): Promise<Component[]> {
  const components = stableOrder(unordered)
  const apps = components.filter((c) => c.metadata?.bundleKind === 'app')
  const outer = (c: Component) => {
    const b = String(c.metadata?.bundle)
    return apps.find((a) => a !== c && b.startsWith(`${String(a.metadata?.bundle)}/`))
  }
  const out: Component[] = []
  for (const c of components) {
    const host = c.metadata?.bundleKind === 'app' ? outer(c) : undefined
    if (!host) {
      out.push(c)
      continue
    }
    const helpers = (host.metadata!.helpers as unknown[] | undefined) ?? []
    helpers.push({
      name: c.name,
      version: c.version,
      bundle: c.metadata?.bundle,
      bundleIdentifier: c.metadata?.bundleIdentifier,
    })
    host.metadata!.helpers = helpers
  }
  return mergeByPurl(out)
}

export const macosAppCataloger: Cataloger = {
  name: NAME,
  version: 1,
  wants: (a: Artifact) => a.name === 'Info.plist' && isBundlePlist(a.path),
  catalog: (a: Artifact, ctx: ArtifactContext) =>
    guarded(NAME, a, ctx, async () => bundleComponent(await a.bytes(), a.path)),
  finish: finishBundles,
}
