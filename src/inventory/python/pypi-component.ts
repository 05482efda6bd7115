import type { Component } from '../../core/types.js'
import { purlOf } from '../purl.js'

/** PEP 503 normalised project name: lowercase, runs of `-_.` become `-`. */
export function canonicalName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-')
}

/** A PyPI distribution as a component: the name as its metadata spells it, purl normalised. */
export function pypiComponent(
  name: string,
  version: string,
  location: string,
  foundBy: string,
  metadata?: Record<string, unknown>,
): Component {
  const c: Component = {
    name,
    version,
    ecosystem: 'pypi',
    purl: purlOf({ type: 'pypi', name: canonicalName(name), version }),
    locations: [location],
    foundBy,
  }
  if (metadata && Object.keys(metadata).length > 0) c.metadata = metadata
  return c
}
