/**
 * Electron applications on Windows, Linux and macOS. Evidence, per application root:
 * - the app's own package.json: `ROOT/resources/app.asar!/package.json`,
 *   `ROOT/resources/app/package.json`, or on macOS `X.app/Contents/Resources/app.asar!/…`
 *   (ROOT = `X.app`);
 * - the Electron runtime version, first found of: `X.app/…/Electron Framework.framework/…/
 *   Resources/Info.plist` (CFBundleShortVersionString / CFBundleVersion), the `ROOT/version`
 *   file of Electron distributions, the `Chrome/… Electron/x.y.z` user-agent string compiled into
 *   the main executable (a PE/ELF directly in ROOT, or the Electron Framework Mach-O).
 * finish() joins them by ROOT into an app component (ecosystem `electron`; name = productName,
 * else name; vendor from `author`, else the product; purl `pkg:generic/VENDOR/PRODUCT@VERSION`;
 * `metadata.electronVersion`, `metadata.platform`) and a runtime component `electron` in the npm
 * ecosystem (`pkg:npm/electron@x.y.z`), where Electron's own advisories are published.
 */

import { parsePlist } from '../../binary/plist/parse.js'
import { isDict } from '../../binary/plist/types.js'
import type { Artifact } from '../../core/artifact.js'
import type { ArtifactContext, Cataloger, FinishContext } from '../../core/plugin.js'
import type { Component } from '../../core/types.js'
import { decodeText, dirOf, guarded, isRecord, stableOrder, str } from '../common.js'
import { productIdentity } from '../identity.js'
import { purlOf } from '../purl.js'

const NAME = 'electron-app'
const EVIDENCE = 'electronEvidence'
const PACKAGE_JSON =
  /^(.*?)(?:\/Contents\/Resources|(?:^|\/)resources)\/(?:app\.asar!|app)\/package\.json$/i
const FRAMEWORK_PLIST =
  /^(.*?)(?:\/Contents\/Frameworks\/)Electron Framework\.framework\/(?:Versions\/[^/]+\/)?Resources\/Info\.plist$/
const FRAMEWORK_BINARY =
  /^(.*?)\/Contents\/Frameworks\/Electron Framework\.framework\/(?:Versions\/[^/]+\/)?Electron Framework$/
const UA = /Chrome\/[\d.]+ Electron\/(\d+\.\d+\.\d+(?:-(?:alpha|beta|nightly)\.\d+)?)/
const SEMVER = /^v?(\d+\.\d+\.\d+(?:-(?:alpha|beta|nightly)\.\d+)?)\s*$/

type Platform = 'windows' | 'linux' | 'macos'
type Evidence =
  | {
      kind: 'app'
      root: string
      name: string
      version: string
      author?: string
      packageName?: string
      path: string
    }
  | {
      kind: 'runtime'
      root: string
      version: string
      source: string
      path: string
      platform?: Platform
    }

/** The application root a package.json belongs to, or undefined if it is not an app's own. */
export function appRootOf(path: string): string | undefined {
  const m = PACKAGE_JSON.exec(path)
  if (!m) return undefined
  return m[1] ?? ''
}

function authorName(a: unknown): string | undefined {
  if (typeof a === 'string') return str(a.replace(/<[^>]*>|\([^)]*\)/g, ''))
  return isRecord(a) ? str(a.name) : undefined
}

function appEvidence(text: string, path: string): Evidence[] {
  const root = appRootOf(path)
  const doc: unknown = JSON.parse(text)
  if (root === undefined || !isRecord(doc)) return []
  const name = str(doc.productName) ?? str(doc.name)
  const version = str(doc.version)
  if (!name || !version) return []
  const e: Evidence = { kind: 'app', root, name, version, path }
  const author = authorName(doc.author)
  if (author) e.author = author
  if (str(doc.name)) e.packageName = str(doc.name)
  return [e]
}

function runtime(
  root: string,
  version: string,
  source: string,
  path: string,
  platform?: Platform,
): Evidence[] {
  return [{ kind: 'runtime', root, version, source, path, ...(platform ? { platform } : {}) }]
}

/** The Electron version in a `Chrome/x Electron/y` user-agent string (first 16 mentions tried). */
export function userAgentVersion(bytes: Buffer): string | undefined {
  for (let at = bytes.indexOf('Electron/'), n = 0; at >= 0 && n < 16; n++) {
    const m = UA.exec(bytes.toString('latin1', Math.max(0, at - 64), at + 64))
    if (m) return m[1]
    at = bytes.indexOf('Electron/', at + 1)
  }
  return undefined
}

/**
 * Could this binary's user-agent string be kept by finish()? Only the Electron Framework of a
 * macOS bundle, or a binary directly in an application root, which finish() keeps only when the
 * root has a `resources/` directory (the app's package.json lives there, or the runtime's own
 * files). For a file on disk the walk saw whether that directory is beside it (no bytes read), so
 * the thousands of other executables and libraries of a system are never searched. An archive
 * member's siblings are not known here: members are searched as before.
 */
function mayHoldRuntime(a: Artifact): boolean {
  return FRAMEWORK_BINARY.test(a.path) || a.resourcesBeside !== false
}

async function evidenceOf(a: Artifact): Promise<Evidence[]> {
  if (a.name === 'package.json') return appEvidence(decodeText(await a.bytes()), a.path)
  const fw = FRAMEWORK_PLIST.exec(a.path)
  if (fw) {
    const p = parsePlist(await a.bytes())
    if (!isDict(p.value)) return []
    const v = [p.value.CFBundleShortVersionString, p.value.CFBundleVersion].find(
      (x): x is string => typeof x === 'string' && /^\d+\.\d+\.\d+/.test(x),
    )
    const ver = v && /^\d+\.\d+\.\d+/.exec(v)?.[0]
    return ver ? runtime(fw[1]!, ver, 'Electron Framework Info.plist', a.path, 'macos') : []
  }
  if (a.name === 'version') {
    const m = SEMVER.exec(decodeText(await a.bytes()))
    return m ? runtime(dirOf(a.path), m[1]!, 'version file', a.path) : []
  }
  if (!mayHoldRuntime(a)) return []
  const version = userAgentVersion(await a.bytes())
  if (!version) return []
  const mac = FRAMEWORK_BINARY.exec(a.path)
  const platform: Platform = a.type === 'pe' ? 'windows' : a.type === 'elf' ? 'linux' : 'macos'
  return runtime(
    mac ? mac[1]! : dirOf(a.path),
    version,
    'user-agent string in the executable',
    a.path,
    platform,
  )
}

function wants(a: Artifact): boolean {
  if (a.name === 'package.json') return appRootOf(a.path) !== undefined
  if (a.name === 'Info.plist') return FRAMEWORK_PLIST.test(a.path)
  if (a.name === 'version') return a.size > 0 && a.size < 64
  return a.type === 'pe' || a.type === 'elf' || a.type === 'macho' || a.type === 'macho-fat'
}

function platformOf(root: string, runtimeEv: Evidence | undefined, layout?: Layout): Platform {
  if (runtimeEv?.kind === 'runtime' && runtimeEv.platform) return runtimeEv.platform
  if (/\.app$/.test(root)) return 'macos'
  return layout?.pe ? 'windows' : 'linux'
}

/** What the files around an application root show: a PE beside it, a resources/ directory. */
interface Layout {
  pe: boolean
  resources: boolean
}

/** The layout of each root, from one pass over the scan's files. */
async function layoutsOf(
  roots: Iterable<string>,
  ctx?: FinishContext,
): Promise<Map<string, Layout>> {
  const out = new Map<string, Layout>()
  for (const r of roots) out.set(r, { pe: false, resources: false })
  if (!ctx || out.size === 0) return out
  // Application roots are few (usually none): each file is checked against each.
  const resources = [...out].map(
    ([r, layout]) => [r === '' ? 'resources/' : `${r}/resources/`, layout] as const,
  )
  for await (const f of ctx.files()) {
    const here = f.type === 'pe' ? out.get(dirOf(f.path)) : undefined
    if (here) here.pe = true
    for (const [prefix, layout] of resources) if (f.path.startsWith(prefix)) layout.resources = true
  }
  return out
}

const SOURCE_RANK = [
  'Electron Framework Info.plist',
  'version file',
  'user-agent string in the executable',
]

export async function finishElectron(
  components: Component[],
  ctx?: FinishContext,
): Promise<Component[]> {
  const byRoot = new Map<string, Evidence[]>()
  for (const c of stableOrder(components)) {
    const e = c.metadata?.[EVIDENCE] as Evidence | undefined
    if (!e) continue
    byRoot.set(e.root, [...(byRoot.get(e.root) ?? []), e])
  }
  const layouts = await layoutsOf(byRoot.keys(), ctx)
  const out: Component[] = []
  for (const [root, list] of byRoot) {
    const layout = layouts.get(root)
    const app = list.find((e) => e.kind === 'app')
    const rt = list
      .filter((e) => e.kind === 'runtime')
      .sort((x, y) => SOURCE_RANK.indexOf(x.source) - SOURCE_RANK.indexOf(y.source))[0]
    // Without the app's package.json, runtime evidence counts only where an Electron layout is:
    // a framework plist, or a version file / user-agent binary beside a resources/ directory.
    if (!app && rt?.kind === 'runtime' && rt.source !== SOURCE_RANK[0] && !layout?.resources)
      continue
    const platform = platformOf(root, rt, layout)
    if (app?.kind === 'app') {
      const { vendor, product } = productIdentity(app.author, app.name)
      const meta: Record<string, unknown> = { platform, root, packageJson: app.path }
      if (app.packageName) meta.packageName = app.packageName
      if (rt?.kind === 'runtime') meta.electronVersion = rt.version
      out.push({
        name: app.name,
        version: app.version,
        ecosystem: 'electron',
        purl: purlOf({ type: 'generic', namespace: vendor, name: product, version: app.version }),
        locations: [app.path],
        foundBy: NAME,
        vendor,
        product,
        metadata: meta,
      })
    }
    if (rt?.kind === 'runtime') {
      out.push({
        name: 'electron',
        version: rt.version,
        ecosystem: 'npm',
        purl: purlOf({ type: 'npm', name: 'electron', version: rt.version }),
        locations: [rt.path],
        foundBy: NAME,
        metadata: { runtime: true, platform, root, source: rt.source },
      })
    }
  }
  return out.sort(
    (x, y) => x.purl.localeCompare(y.purl) || x.locations[0]!.localeCompare(y.locations[0]!),
  )
}

export const electronAppCataloger: Cataloger = {
  name: NAME,
  version: 1,
  wants,
  catalog: (a: Artifact, ctx: ArtifactContext) =>
    guarded(NAME, a, ctx, async () =>
      (await evidenceOf(a)).map((e) => ({
        name: e.kind === 'app' ? e.name : 'electron',
        version: e.version,
        ecosystem: 'electron',
        purl: '',
        locations: [e.path],
        foundBy: NAME,
        metadata: { [EVIDENCE]: e },
      })),
    ),
  finish: (components, ctx) => finishElectron(components, ctx),
}
