import type { Component } from '../../core/types.js'
import { purlOf } from '../purl.js'

/** An npm package as a component; `@scope/name` becomes purl namespace `@scope`. */
export function npmComponent(
  name: string,
  version: string,
  location: string,
  foundBy: string,
  metadata?: Record<string, unknown>,
): Component {
  const slash = name.startsWith('@') ? name.indexOf('/') : -1
  const namespace = slash > 0 ? name.slice(0, slash) : undefined
  const bare = slash > 0 ? name.slice(slash + 1) : name
  const c: Component = {
    name,
    version,
    ecosystem: 'npm',
    purl: purlOf({ type: 'npm', namespace, name: bare, version }),
    locations: [location],
    foundBy,
  }
  if (metadata && Object.keys(metadata).length > 0) c.metadata = metadata
  return c
}

/** Is this a plausible npm package name (`name` or `@scope/name`, no path tricks)? */
export function isPackageName(name: string): boolean {
  return /^(@[a-z0-9~][\w.~-]*\/)?[a-z0-9~][\w.~-]*$/i.test(name) && name.length <= 214
}

/** The package name after the last `node_modules/` of a lockfile key or path. */
export function nameFromNodeModulesPath(p: string): string | undefined {
  const i = p.lastIndexOf('node_modules/')
  if (i < 0) return undefined
  const name = p.slice(i + 'node_modules/'.length)
  return isPackageName(name) ? name : undefined
}
