import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { apkInstalledCataloger } from './apk/apk-installed.js'
import { dpkgStatusCataloger, isDpkgStatusPath } from './dpkg/dpkg-status.js'
import { parseRpmHeader } from './rpm/header.js'
import { rpmdbSqliteCataloger } from './rpm/rpmdb-sqlite.js'
import { fsArtifact, memArtifact, runCatalogers, walkFiles } from './testing.js'

const data = (p: string) => join(import.meta.dirname, p)
// biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's own ${Field} syntax
const DPKG_FORMAT = '${Package} ${Version}\\t${Status}\\n'
const nvs = (cs: { name: string; version: string }[]) =>
  cs.map((c) => `${c.name} ${c.version}`).sort()

describe('dpkg', () => {
  it('lists installed packages only, per architecture', async () => {
    const a = memArtifact('var/lib/dpkg/status', readFileSync(data('dpkg/testdata/status')))
    const { components } = await runCatalogers([dpkgStatusCataloger], [a])
    expect(nvs(components)).toEqual([
      'base-files 12.4+deb12u11',
      'heldtool 2:1.0~rc1-1',
      'libc6 2.36-9+deb12u14',
      'libfoo1 1.2-3+b1',
      'tzdata 2025b-0+deb12u2',
      'zlib1g 1:1.2.13.dfsg-1',
    ])
    const foo = components.find((c) => c.name === 'libfoo1')!
    expect(foo.purl).toBe('pkg:deb/debian/libfoo1@1.2-3+b1?arch=i386&upstream=foo')
    expect(foo.metadata).toMatchObject({
      source: 'foo',
      sourceVersion: '1.2-3',
      architecture: 'i386',
    })
    expect(foo.ecosystem).toBe('deb')
  })

  it('reads distroless status.d and skips md5sums', async () => {
    const root = data('dpkg/testdata/distroless')
    const files = walkFiles(root, () => true).map((f) => fsArtifact(root, f))
    expect(files.filter((f) => isDpkgStatusPath(f.path))).toHaveLength(2)
    const { components } = await runCatalogers([dpkgStatusCataloger], files)
    expect(nvs(components)).toEqual(['libssl3 3.0.11-1~deb12u2', 'tzdata 2024a-0+deb12u1'])
    expect(components[0]!.locations[0]).toMatch(/^var\/lib\/dpkg\/status\.d\//)
  })

  /**
   * Agreement with dpkg-query on this machine: the set of "Package Version" lines of packages
   * whose status is `<want> ok installed` (dpkg-query -W also lists config-files remnants, which
   * are not installed software; they are filtered by the same Status rule).
   */
  it.skipIf(!existsSync('/var/lib/dpkg/status'))('agrees with dpkg-query -W', async () => {
    const out = execFileSync('dpkg-query', ['-W', '-f', DPKG_FORMAT], {
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    })
    const expected = new Set(
      out
        .split('\n')
        .filter((l) => / ok installed$/.test(l))
        .map((l) => l.split('\t')[0]!),
    )
    const a = fsArtifact('/', '/var/lib/dpkg/status')
    const { components, problems } = await runCatalogers([dpkgStatusCataloger], [a])
    expect(problems).toEqual([])
    expect(expected.size).toBeGreaterThan(50)
    expect(new Set(nvs(components))).toEqual(expected)
  })
})

describe('apk', () => {
  it('reads lib/apk/db/installed', async () => {
    const a = memArtifact(
      'lib/apk/db/installed',
      readFileSync(data('apk/testdata/lib/apk/db/installed')),
    )
    const { components } = await runCatalogers([apkInstalledCataloger], [a])
    expect(nvs(components)).toEqual(['busybox 1.36.1-r15', 'libcrypto3 3.1.4-r1', 'musl 1.2.4-r2'])
    expect(components.find((c) => c.name === 'libcrypto3')).toMatchObject({
      ecosystem: 'apk',
      purl: 'pkg:apk/alpine/libcrypto3@3.1.4-r1?arch=x86_64&upstream=openssl',
      metadata: { origin: 'openssl', license: 'Apache-2.0', line: 22 },
    })
  })
})

describe('rpm', () => {
  const db = data('rpm/testdata/rpmdb.sqlite')
  it('reads rpmdb.sqlite built by rpm itself and agrees with rpm -qa', async () => {
    const a = memArtifact('var/lib/rpm/rpmdb.sqlite', readFileSync(db))
    const { components, problems } = await runCatalogers([rpmdbSqliteCataloger], [a])
    expect(problems).toEqual([])
    const expected = readFileSync(data('rpm/testdata/rpmdb.expected.txt'), 'utf8')
      .trim()
      .split('\n')
    const got = components.map((c) => `${c.name} ${c.version} ${c.metadata?.architecture}`).sort()
    expect(got).toEqual(expected)
    expect(components.find((c) => c.name === 'openssl-libs-fixture')).toMatchObject({
      version: '1:3.1.1-4.fc39',
      purl: 'pkg:rpm/vigil-fixtures/openssl-libs-fixture@3.1.1-4.fc39?arch=x86_64&epoch=1',
      ecosystem: 'rpm',
    })
  })

  it.skipIf(!existsSync('/usr/bin/rpm'))('the expected list is what rpm -qa says today', () => {
    // Guards the committed expectation file against drifting from the committed database.
    const dir = join(import.meta.dirname, 'rpm/testdata')
    const out = execFileSync(
      'rpm',
      [
        '--dbpath',
        dir,
        '--define',
        '_db_backend sqlite',
        '-qa',
        '--qf',
        '%{NAME} %|EPOCH?{%{EPOCH}:}:{}|%{VERSION}-%{RELEASE} %{ARCH}\\n',
      ],
      { encoding: 'utf8' },
    )
    expect(out.trim().split('\n').sort()).toEqual(
      readFileSync(join(dir, 'rpmdb.expected.txt'), 'utf8').trim().split('\n'),
    )
  })

  it('a non-SQLite file is a problem', async () => {
    const { components, problems } = await runCatalogers(
      [rpmdbSqliteCataloger],
      [memArtifact('rpmdb.sqlite', 'hello')],
    )
    expect(components).toEqual([])
    expect(problems[0]?.message).toMatch(/not an SQLite/)
  })

  it('header parser bounds-checks', () => {
    expect(parseRpmHeader(Buffer.alloc(3)).anomalies).toHaveLength(1)
    const b = Buffer.alloc(24)
    b.writeUInt32BE(1, 0)
    b.writeUInt32BE(1000, 4)
    expect(parseRpmHeader(b).anomalies[0]).toMatch(/exceeds/)
  })
})

describe('os-release', () => {
  const osRelease =
    'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\nID=debian\n'
  it('gives the packages of the same root their distribution and release', async () => {
    const { components } = await runCatalogers(
      [dpkgStatusCataloger, apkInstalledCataloger],
      [
        memArtifact('img.tar!/etc/os-release', osRelease),
        memArtifact('img.tar!/var/lib/dpkg/status', readFileSync(data('dpkg/testdata/status'))),
      ],
    )
    const libc = components.find((c) => c.name === 'libc6')!
    expect(libc.purl).toBe(
      'pkg:deb/debian/libc6@2.36-9+deb12u14?arch=amd64&distro=debian-12&upstream=glibc',
    )
    expect(libc.metadata).toMatchObject({
      distro: 'debian',
      distroRelease: '12',
      distroCodename: 'bookworm',
    })
    expect(libc.metadata).not.toHaveProperty('systemRoot')
    expect(components.some((c) => c.ecosystem === 'os-release')).toBe(false)
  })

  it('alpine', async () => {
    const { components } = await runCatalogers(
      [apkInstalledCataloger],
      [
        memArtifact('usr/lib/os-release', 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.19.1\n'),
        memArtifact(
          'lib/apk/db/installed',
          readFileSync(data('apk/testdata/lib/apk/db/installed')),
        ),
      ],
    )
    expect(components.find((c) => c.name === 'musl')?.purl).toBe(
      'pkg:apk/alpine/musl@1.2.4-r2?arch=x86_64&distro=alpine-3.19.1',
    )
  })

  it('this machine: Debian packages named with the release', async () => {
    if (!existsSync('/usr/lib/os-release') || !existsSync('/var/lib/dpkg/status')) return
    const { components } = await runCatalogers(
      [dpkgStatusCataloger],
      [fsArtifact('/', '/usr/lib/os-release'), fsArtifact('/', '/var/lib/dpkg/status')],
    )
    expect(components.length).toBeGreaterThan(50)
    expect(components.every((c) => typeof c.metadata?.distro === 'string')).toBe(true)
  })
})
