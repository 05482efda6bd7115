import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { buildIntel } from '../../intel/build-index.js'
import { scan } from '../../scan/scan.js'
import { memArtifact, runCatalogers } from '../testing.js'
import {
  archiveOf,
  javaArchiveCataloger,
  nameAndVersionOfFile,
  parseManifest,
  parseProperties,
} from './java-archive.js'

const testdata = join(import.meta.dirname, 'testdata')

describe('java archives', () => {
  it('catalogs jars and a war with nested jars through the scan pipeline', async () => {
    const report = await scan({
      paths: [testdata],
      intel: buildIntel([], []),
      detectors: [],
      catalogers: [javaArchiveCataloger],
    })
    expect(report.problems).toEqual([])
    expect(report.components.map((c) => `${c.purl} ${c.locations.join(',')}`)).toEqual([
      'pkg:maven/com.google.guava/guava@31.1-jre lib/shaded-all-3.0.jar',
      'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1 webapp-1.0.war!/WEB-INF/lib/log4j-core-2.14.1.jar',
      'pkg:maven/org.example.plain/plain-osgi@2.3.1 lib/plain-osgi-2.3.1.jar',
      'pkg:maven/org.example/commons-lite@1.4.0 lib/commons-lite-1.4.0.jar,webapp-1.0.war!/WEB-INF/lib/commons-lite-1.4.0.jar',
      'pkg:maven/org.example/shaded-all@3.0 lib/shaded-all-3.0.jar',
      'pkg:maven/org.example/webapp@1.0 webapp-1.0.war',
    ])
    expect(
      report.components.every((c) => c.ecosystem === 'maven' && c.foundBy === 'java-archive'),
    ).toBe(true)
  })

  it('manifest only when the archive has no pom.properties; file name as the last resort', async () => {
    const { components } = await runCatalogers(
      [javaArchiveCataloger],
      [
        memArtifact(
          'x/tool-5.2.jar!/META-INF/MANIFEST.MF',
          'Manifest-Version: 1.0\r\nMain-Class: a.B\r\n\r\n',
        ),
        memArtifact('x/noversion.jar!/META-INF/MANIFEST.MF', 'Manifest-Version: 1.0\r\n\r\n'),
      ],
    )
    expect(components.map((c) => `${c.name}@${c.version} ${c.purl}`)).toEqual([
      'tool@5.2 pkg:generic/tool@5.2',
    ])
  })

  it('parses properties, manifests and file names', () => {
    const p = parseProperties(
      '# c\n! c\nversion = 1.0\\\n  .1\nartifactId:a\\u0062c\ngroupId org.x\n',
    )
    expect(Object.fromEntries(p)).toEqual({ version: '1.0.1', artifactId: 'abc', groupId: 'org.x' })
    expect(parseManifest('A: 1\r\nB: long\r\n  er\r\n\r\nName: x\r\nA: 2\r\n').get('B')).toBe(
      'long er',
    )
    expect(nameAndVersionOfFile('lib/commons-io-2.11.0.jar')).toEqual(['commons-io', '2.11.0'])
    expect(nameAndVersionOfFile('guava-31.1-jre.jar')).toEqual(['guava', '31.1-jre'])
    expect(archiveOf('a.zip!/META-INF/MANIFEST.MF')).toBeUndefined()
    expect(archiveOf('WEB-INF/classes/META-INF/MANIFEST.MF')).toBeUndefined()
  })
})
