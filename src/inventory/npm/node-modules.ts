/**
 * Installed npm packages: `package.json` files of real installs, i.e. a path of the form
 * `…/node_modules/<pkg>(/node_modules/<pkg>)*​/package.json` where `<pkg>` is `name` or
 * `@scope/name`. A package.json anywhere else below node_modules (a package's own test fixtures,
 * `esm/package.json` type markers, `.bin`, `.cache`) is not an installed package. pnpm's virtual
 * store (`node_modules/.pnpm/<id>/node_modules/<pkg>`) holds real installs.
 */
import type { Artifact } from '../../core/artifact.js'
import type { ArtifactContext, Cataloger } from '../../core/plugin.js'
import type { Component } from '../../core/types.js'
import { fullPath, guarded, isRecord, mergeByPurl, readText, str } from '../common.js'
import { npmComponent } from './npm-component.js'

const NAME = 'npm-node-modules'
const SEGMENT = String.raw`(?:@[a-z0-9~][\w.~-]*/)?[a-z0-9~][\w.~-]*`
// pnpm installs into a virtual store: node_modules/.pnpm/<name>@<version>/node_modules/<name>.
const PNPM_STORE = String.raw`(?:\.pnpm/[^/]+/node_modules/)?`
const INSTALLED = new RegExp(
  `^${PNPM_STORE}${SEGMENT}(?:/node_modules/${SEGMENT})*/package\\.json$`,
  'i',
)

/** Is this path the package.json of an installed package? */
export function isInstalledPackageJson(path: string): boolean {
  // Only the part after the first node_modules/ must have install structure.
  const m = /(?:^|\/)node_modules\//.exec(path)
  return m !== null && INSTALLED.test(path.slice(m.index + m[0].length))
}

export function parseInstalledPackageJson(text: string, location: string): Component[] {
  const doc: unknown = JSON.parse(text)
  if (!isRecord(doc)) return []
  const name = str(doc.name)
  const version = str(doc.version)
  if (!name || !version) return []
  const meta: Record<string, unknown> = {}
  const license = str(doc.license)
  if (license) meta.license = license
  const scripts = isRecord(doc.scripts) ? doc.scripts : {}
  const hooks = ['preinstall', 'install', 'postinstall'].filter((h) => str(scripts[h]))
  if (hooks.length > 0) meta.installScripts = hooks
  return [npmComponent(name, version, location, NAME, meta)]
}

export const nodeModulesCataloger: Cataloger = {
  name: NAME,
  version: 1,
  wants: (a: Artifact) => a.name === 'package.json' && isInstalledPackageJson(fullPath(a)),
  catalog: (a: Artifact, ctx: ArtifactContext) =>
    guarded(NAME, a, ctx, async () => parseInstalledPackageJson(await readText(a), a.path)),
  finish: async (components) => mergeByPurl(components),
}
