/**
 * Java archives (JAR, WAR, EAR and kin) as the scan pipeline unpacks them: member artifacts
 * `lib/x.jar!/META-INF/MANIFEST.MF` and `lib/x.jar!/META-INF/maven/G/A/pom.properties`, nested
 * archives as `app.war!/WEB-INF/lib/y.jar!/META-INF/…`.
 * - Every pom.properties (groupId, artifactId, version) is a Maven component; a shaded/fat jar
 *   holds several, and all are real code inside it.
 * - An archive without any pom.properties is described by its manifest: artifactId from
 *   Implementation-Title / Bundle-Name / the file name stem, version from Implementation-Version,
 *   Bundle-Version, Specification-Version, else the `-1.2.3` in the file name; groupId from
 *   Implementation-Vendor-Id, or Bundle-SymbolicName without its last segment. A manifest without
 *   any version yields nothing. Without a groupId the purl falls back to `pkg:generic`.
 * Ecosystem `maven`; location: the archive's path.
 */
import type { Artifact } from '../../core/artifact.js'
import type { ArtifactContext, Cataloger } from '../../core/plugin.js'
import type { Component } from '../../core/types.js'
import { guarded, mergeByPurl, readText } from '../common.js'
import { purlOf } from '../purl.js'

const NAME = 'java-archive'
const ARCHIVE = /\.(?:jar|war|ear|jpi|hpi|par|sar|kar|nar|aar)$/i
const MANIFEST = /^(.*)!\/META-INF\/MANIFEST\.MF$/i
const POM_PROPERTIES = /^(.*)!\/META-INF\/maven\/[^/]+\/[^/]+\/pom\.properties$/
const SOURCE = 'javaSource'

/** Java .properties: `key=value`, `key: value`, `#`/`!` comments, `\` continuations, escapes. */
export function parseProperties(text: string): Map<string, string> {
  const out = new Map<string, string>()
  const lines = text.split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!.replace(/^\s+/, '')
    if (line === '' || line[0] === '#' || line[0] === '!') continue
    while (/(?<!\\)(?:\\\\)*\\$/.test(line) && i + 1 < lines.length) {
      line = line.slice(0, -1) + lines[++i]!.replace(/^\s+/, '')
    }
    const m = /^((?:\\.|[^=:\s\\])+)\s*[=:\s]\s*(.*)$/.exec(line)
    if (!m) continue
    const unescapeJava = (s: string) =>
      s.replace(/\\u([0-9a-fA-F]{4})|\\(.)/g, (_, u, c) =>
        u ? String.fromCharCode(Number.parseInt(u, 16)) : c === 'n' ? '\n' : c === 't' ? '\t' : c,
      )
    out.set(unescapeJava(m[1]!), unescapeJava(m[2]!.trim()))
  }
  return out
}

/** Main attributes of a JAR manifest (the section before the first blank line). */
export function parseManifest(text: string): Map<string, string> {
  const out = new Map<string, string>()
  let last: string | undefined
  for (const line of text.split(/\r?\n|\r/)) {
    if (line === '') break
    if (line.startsWith(' ') && last) {
      out.set(last, out.get(last) + line.slice(1))
      continue
    }
    const colon = line.indexOf(':')
    if (colon <= 0) continue
    last = line.slice(0, colon).trim()
    out.set(last, line.slice(colon + 1).trim())
  }
  return out
}

function mavenComponent(
  group: string | undefined,
  artifact: string,
  version: string,
  archive: string,
  meta: Record<string, unknown>,
): Component {
  return {
    name: group ? `${group}:${artifact}` : artifact,
    version,
    ecosystem: 'maven',
    purl: purlOf({ type: 'maven', namespace: group, name: artifact, version }),
    locations: [archive],
    foundBy: NAME,
    metadata: meta,
  }
}

function fromPomProperties(text: string, archive: string, path: string): Component[] {
  const p = parseProperties(text)
  const group = p.get('groupId')
  const artifact = p.get('artifactId')
  const version = p.get('version')
  if (!group || !artifact || !version) return []
  return [mavenComponent(group, artifact, version, archive, { [SOURCE]: 'pom.properties', path })]
}

/** `commons-io-2.11.0.jar` → [`commons-io`, `2.11.0`]. */
export function nameAndVersionOfFile(archive: string): [string, string | undefined] {
  const file = archive.slice(archive.lastIndexOf('/') + 1).replace(ARCHIVE, '')
  const m = /^(.+?)-(\d+(?:\.\d+)*(?:[.-][A-Za-z0-9]+)*)$/.exec(file)
  return m ? [m[1]!, m[2]] : [file, undefined]
}

function fromManifest(text: string, archive: string, path: string): Component[] {
  const m = parseManifest(text)
  const [fileName, fileVersion] = nameAndVersionOfFile(archive)
  const version =
    m.get('Implementation-Version') ??
    m.get('Bundle-Version') ??
    m.get('Specification-Version') ??
    fileVersion
  if (!version) return []
  const symbolic = m.get('Bundle-SymbolicName')?.split(';')[0]?.trim()
  const title = m.get('Implementation-Title') ?? m.get('Bundle-Name')
  const artifact = /^[\w.-]+$/.test(title ?? '') ? title! : fileName
  const group =
    m.get('Implementation-Vendor-Id') ??
    (symbolic?.includes('.') ? symbolic.slice(0, symbolic.lastIndexOf('.')) : undefined)
  const meta: Record<string, unknown> = { [SOURCE]: 'MANIFEST.MF', path }
  if (m.get('Implementation-Vendor')) meta.vendor = m.get('Implementation-Vendor')
  if (symbolic) meta.bundleSymbolicName = symbolic
  return [mavenComponent(group, artifact, version, archive, meta)]
}

export function archiveOf(path: string): string | undefined {
  const m = MANIFEST.exec(path) ?? POM_PROPERTIES.exec(path)
  return m && ARCHIVE.test(m[1]!) ? m[1] : undefined
}

/** Manifest-derived components only for archives without a pom.properties. */
export async function finishJava(components: Component[]): Promise<Component[]> {
  const withPom = new Set(
    components.filter((c) => c.metadata?.[SOURCE] === 'pom.properties').map((c) => c.locations[0]),
  )
  const kept = components.filter(
    (c) => c.metadata?.[SOURCE] === 'pom.properties' || !withPom.has(c.locations[0]),
  )
  return mergeByPurl(kept)
}

export const javaArchiveCataloger: Cataloger = {
  name: NAME,
  version: 1,
  wants: (a: Artifact) =>
    (a.name === 'MANIFEST.MF' || a.name === 'pom.properties') && archiveOf(a.path) !== undefined,
  catalog: (a: Artifact, ctx: ArtifactContext) =>
    guarded(NAME, a, ctx, async () => {
      const archive = archiveOf(a.path)!
      const text = await readText(a)
      return a.name === 'pom.properties'
        ? fromPomProperties(text, archive, a.path)
        : fromManifest(text, archive, a.path)
    }),
  finish: finishJava,
}
