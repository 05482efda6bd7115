/**
 * Pinned `requirements*.txt` (and `requirements/*.txt`): only `name==version` and `name===version` pins name a version;
 * ranges (`>=`, `~=`), wildcards (`==1.*`), URLs, editable installs and pip options do not and
 * are skipped. Extras, environment markers, `--hash` options and `\` continuations are allowed.
 */
import type { Artifact } from '../../core/artifact.js'
import type { ArtifactContext, Cataloger } from '../../core/plugin.js'
import type { Component } from '../../core/types.js'
import { guarded, mergeByPurl, readText } from '../common.js'
import { pypiComponent } from './pypi-component.js'

const NAME = 'python-requirements'
const PIN = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*===?\s*([^\s;,*]+)\s*(?:;.*)?$/

/** Logical lines: continuations joined, comments and options removed. */
function logicalLines(text: string): { line: string; n: number }[] {
  const out: { line: string; n: number }[] = []
  let buf = ''
  let start = 0
  const lines = text.split(/\r?\n/)
  lines.forEach((raw, i) => {
    if (buf === '') start = i + 1
    const noComment = raw.replace(/(^|\s)#.*$/, '')
    if (noComment.endsWith('\\')) {
      buf += `${noComment.slice(0, -1)} `
      return
    }
    out.push({ line: (buf + noComment).trim(), n: start })
    buf = ''
  })
  if (buf.trim()) out.push({ line: buf.trim(), n: start })
  return out
}

export function parseRequirements(text: string, location: string): Component[] {
  const out: Component[] = []
  for (const { line, n } of logicalLines(text)) {
    const spec = line.replace(/\s--?[a-z][\w-]*(?:[=\s]\S+)?/g, '').trim()
    const m = PIN.exec(spec)
    if (!m) continue
    out.push(pypiComponent(m[1]!, m[2]!, location, NAME, { line: n }))
  }
  return out
}

export const requirementsCataloger: Cataloger = {
  name: NAME,
  version: 1,
  wants: (a: Artifact) =>
    /^requirements.*\.txt$/i.test(a.name) || /(?:^|\/)requirements\/[^/]+\.txt$/i.test(a.path),
  catalog: (a: Artifact, ctx: ArtifactContext) =>
    guarded(NAME, a, ctx, async () => parseRequirements(await readText(a), a.path)),
  finish: async (components) => mergeByPurl(components),
}
