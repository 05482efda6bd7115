#!/usr/bin/env node
// Regenerates the cross-check expectations from the reference implementations on this machine:
//   debian-pairs.tsv  dpkg --compare-versions over version pairs from /var/lib/dpkg/status
//   rpm-pairs.tsv     rpm's own rpm.vercmp (rpm --eval with Lua) over RPM-style versions
//   pep440-pairs.tsv  Python `packaging.version.Version` over installed and synthetic versions
//   maven-pairs.tsv   Maven's ComparableVersion (maven-artifact jar) over real and synthetic versions
// Usage: node src/advisory/version/testdata/make-vectors.mjs [debian|rpm|pep440|maven ...]
import { execFileSync, spawnSync } from 'node:child_process'
import { readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const only = process.argv.slice(2)
const want = (name) => only.length === 0 || only.includes(name)

/** Deterministic PRNG (mulberry32) so regenerating gives the same pairs. */
function rng(seed) {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Neighbours in sorted order (similar strings) plus random pairs. */
function pairsOf(versions, randomCount, seed) {
  const list = [...new Set(versions)].sort()
  const out = []
  for (let i = 0; i + 1 < list.length; i++) out.push([list[i], list[i + 1]])
  const r = rng(seed)
  for (let i = 0; i < randomCount; i++) {
    const a = list[Math.floor(r() * list.length)]
    const b = list[Math.floor(r() * list.length)]
    out.push(r() < 0.5 ? [a, b] : [b, a])
  }
  return out
}

function write(name, header, rows) {
  const text = `${header}\n${rows.map((r) => r.join('\t')).join('\n')}\n`
  writeFileSync(join(here, name), text)
  console.log(`${name}: ${rows.length} pairs`)
}

function dpkgCmp(a, b) {
  const run = (op) => spawnSync('dpkg', ['--compare-versions', a, op, b]).status === 0
  if (run('lt')) return -1
  return run('eq') ? 0 : 1
}

if (want('debian')) {
  const status = readFileSync('/var/lib/dpkg/status', 'utf8')
  const versions = [...status.matchAll(/^Version: (.+)$/gm)].map((m) => m[1].trim())
  const rows = pairsOf(versions, 700, 1).map(([a, b]) => [a, b, dpkgCmp(a, b)])
  write('debian-pairs.tsv', '# a\tb\tdpkg --compare-versions (-1 lt, 0 eq, 1 gt)', rows)
}

const RPM_EXTRA = [
  '1.0~rc1', '1.0~rc2', '1.0^git1', '1.0^git2', '1.0^20160101', '1.0~rc1^git1', '1.0^git1~pre',
  '1.0.1', '1.01', '2.0', '2.0.1a', '5.5p1', '5.5p10', '10xyz', '10.1xyz', 'xyz10', 'xyz.4',
  '6.0.rc1', '10b2', '10a1', '1.0aa', '10.0001', '10.0039', '4.999.9', '2_0', 'a+', '_+',
  '1:1.0-1.el8', '0:1.0-1.el8', '1.0-1.el8', '1.0-2.el8', '1.0-1.el8_7', '1.0-1.el8_7.1',
  '2:4.4.20-1.el8', '4.4.20-1.el8_6', '1.2.3-4.fc38', '1.2.3-4.fc39', '1.2.3~beta-1.fc39',
  '3.0.7-24.el9', '3.0.7-25.el9_3', '3.0.7-27.el9', '1.1.1k-9.el8_7', '1.1.1k-12.el8_9',
]

if (want('rpm')) {
  const status = readFileSync('/var/lib/dpkg/status', 'utf8')
  const upstream = [...status.matchAll(/^Version: (.+)$/gm)]
    .map((m) => m[1].trim().replace(/^\d+:/, ''))
    .filter((v) => /^[0-9A-Za-z.~^_+-]+$/.test(v))
  const pairs = pairsOf([...RPM_EXTRA, ...upstream], 500, 2)
  const lua = `${pairs.map(([a, b]) => `print(rpm.vercmp(${JSON.stringify(a)}, ${JSON.stringify(b)}) .. ",")`).join('\n')}\n`
  const file = join(tmpdir(), `vigil-rpm-vectors-${process.pid}.lua`)
  writeFileSync(file, lua)
  const out = execFileSync('rpm', ['--eval', `%{lua: dofile("${file}")}`], { encoding: 'utf8' })
  const results = out.replace(/\s+/g, "").split(",").filter(Boolean).map(Number)
  write('rpm-pairs.tsv', '# a\tb\trpm.vercmp(a, b)', pairs.map(([a, b], i) => [a, b, Math.sign(results[i])]))
}

const PEP440_EXTRA = [
  '1.0', '1.0.0', '1.0a1', '1.0a2', '1.0b1', '1.0rc1', '1.0c2', '1.0.post1', '1.0.post2.dev3',
  '1.0.dev0', '1.0.dev1', '1.0a1.dev1', '1.0a1.post1', '1.0+local', '1.0+local.1', '1.0+local.a',
  '1.0+1', '1!0.1', '1!1.0', '0!2.0', '1.0-1', '1.0_post1', '1.0-alpha-1', '1.0.BETA2',
  '1.0pre3', '1.0preview4', '1.0-rev5', '1.0r6', 'v1.0', '2.0.0rc1', '2', '2.0.0.0.1',
  '1.0+abc.5', '1.0+5.abc', '1.0+ubuntu1', '1.0.post1+local', '1.0a', '1.0.post', '1.0.dev',
]

if (want('pep440')) {
  const pip = JSON.parse(execFileSync('python3', ['-m', 'pip', 'list', '--format', 'json'], { encoding: 'utf8' }))
  const pairs = pairsOf([...PEP440_EXTRA, ...pip.map((p) => p.version)], 400, 3)
  const py = `import json,sys
from packaging.version import Version
out=[]
for a,b in json.load(sys.stdin):
    x,y=Version(a),Version(b)
    out.append(-1 if x<y else (0 if x==y else 1))
print(json.dumps(out))`
  const results = JSON.parse(execFileSync('python3', ['-c', py], { input: JSON.stringify(pairs), encoding: 'utf8' }))
  write('pep440-pairs.tsv', '# a\tb\tpackaging.version.Version (-1 lt, 0 eq, 1 gt)', pairs.map(([a, b], i) => [a, b, results[i]]))
}

const MAVEN_EXTRA = [
  '1', '1.0', '1.0.0', '1-alpha', '1.0-alpha-1', '1.0-alpha-2', '1.0-alpha1', '1.0-a1', '1.0-beta',
  '1.0-b2', '1.0-milestone-1', '1.0-m1', '1.0-rc1', '1.0-cr1', '1.0-RC2', '1.0-SNAPSHOT',
  '1.0-ga', '1.0-final', '1.0.RELEASE', '1.0.Final', '1.0-sp', '1.0-sp1', '1.0-SP2', '1.0-foo',
  '1.0-1', '1.0.1', '1.0-0', '1-0.1', '1.0.0-0.0.0', '1.0.alpha', '1.0.x', '1.0-jre', '1.0-android',
  '31.1-jre', '31.1-android', '2.17.1', '2.15.0-rc1', '2.0-beta9', '5.3.20', '5.3.20.RELEASE',
  '6.0.0-M1', '6.0.0-RC1', '9.4.44.v20210927', '9.4.45.v20220203', '1.0a1', '1.0b', '1.0-xyz-1',
]

if (want('maven')) {
  const repo = '/usr/share/maven-repo'
  const real = []
  const walk = (dir, depth) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (!e.isDirectory()) continue
      if (/^\d/.test(e.name) && e.name !== 'debian') real.push(e.name)
      else if (depth < 6) walk(join(dir, e.name), depth + 1)
    }
  }
  try {
    walk(repo, 0)
  } catch {}
  const pairs = pairsOf([...MAVEN_EXTRA, ...real.filter((v) => !/\s/.test(v))], 400, 4)
  const args = pairs.flat()
  const out = execFileSync(
    'java',
    ['-cp', '/usr/share/maven/lib/maven-artifact-3.x.jar', 'org.apache.maven.artifact.versioning.ComparableVersion', ...args],
    { encoding: 'utf8', maxBuffer: 64 << 20 },
  )
  const ops = [...out.matchAll(/^ {3}(\S+) (<|>|==) (\S+)$/gm)].map((m) => m[2])
  const rows = pairs.map(([a, b], i) => [a, b, { '<': -1, '==': 0, '>': 1 }[ops[2 * i]]])
  write('maven-pairs.tsv', '# a\tb\torg.apache.maven.artifact.versioning.ComparableVersion (maven-artifact 3.x)', rows)
}
