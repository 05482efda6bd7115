import { describe, expect, it } from 'vitest'
import { makeFinding } from '../core/finding-id.js'
import type { Report } from '../core/types.js'
import { tableReport } from './table.js'
import { sampleReport } from './testdata/sample.js'
import {
  formatBytes,
  formatDuration,
  printable,
  shortenMiddle,
  truncateEnd,
  width,
} from './text.js'

const ESC = '\u001b'

describe('tableReport', () => {
  it('groups verdicts by severity with one line per finding and a footer', () => {
    expect(tableReport(sampleReport())).toBe(
      [
        'CRITICAL (1)',
        '  3CX Desktop App 18.12.416 (pkg:generic/3cx/3cx-desktop-app@18.12.416)',
        '    [advisory + ioc + structure, raised from high]',
        '    high     advisory   Programs/3CXDesktopApp/3CXDesktopApp.exe  Known-compromised release',
        '    high     ioc        Programs/3CXDesktopApp/ffmpeg.dll  File hash matches an intel indicator',
        '    medium   structure  Programs/3CXDesktopApp/d3dcompiler_47.dll  Data hidden after the Authentico…',
        '      fix: Update to 18.12.422 or later',
        '',
        'HIGH (1)',
        '  downloads/3CXDesktopApp-18.12.416.msi!/ffmpeg.dll                                           [rule]',
        '    high     rule       YARA rule 3CX_ffmpeg_loader matched',
        '',
        'LOW (1)',
        '  very/long/directory/name/that/goes/on/…/on/and/on/for/quite/a/while/until/it/ends/setup-helper.exe',
        '    [structure]',
        '    low      structure  High-entropy overlay',
        '',
        'INFO (1)',
        '  Windows/System32/d3dcompiler_47.dll                                                          [ioc]',
        '    info     ioc        File name seen in an incident',
        '',
        '─'.repeat(60),
        'verdicts: 1 critical · 1 high · 0 medium · 1 low · 1 info',
        'findings: 6 (+1 correlation) · 2 suppressed · 2 problems',
        'scanned: 20,431 files · 1.1 GiB in 6.2 s',
        'problems:',
        '  error    collect      downloads/broken.zip: truncated archive: end of central directory not found',
        '  warning  collect      dev/fifo: special file (FIFO) skipped',
        '',
      ].join('\n'),
    )
  })

  it('fits every line in the width asked for', () => {
    for (const cols of [60, 80, 100, 132]) {
      const text = tableReport(sampleReport(), { width: cols })
      for (const line of text.split('\n')) expect(width(line), line).toBeLessThanOrEqual(cols)
    }
  })

  it('uses colour only when asked', () => {
    expect(tableReport(sampleReport())).not.toContain(ESC)
    const coloured = tableReport(sampleReport(), { color: true })
    expect(coloured).toContain(`${ESC}[1;35mCRITICAL (1)${ESC}[0m`)
    expect(coloured.replace(/\u001b\[[0-9;]*m/g, '')).toBe(tableReport(sampleReport()))
  })

  it('neutralises control characters in names and messages', () => {
    const r = sampleReport()
    r.findings = [
      makeFinding({
        ruleId: 'ioc/file-name',
        detector: 'ioc/file-name',
        layer: 'ioc',
        severity: 'high',
        confidence: 'high',
        title: `evil${ESC}[2J title`,
        message: 'm',
        locations: [{ path: `dir/${ESC}]0;pwned\u0007.exe` }],
        evidence: [{ kind: 'x' }],
      }),
    ]
    r.verdicts = undefined
    r.problems = [{ stage: 'collect', path: 'a\rb', message: `bad\n${ESC}[31mred` }]
    const text = tableReport(r)
    expect(text).not.toContain(ESC)
    expect(text).toContain('dir/\\x1b]0;pwned\\x07.exe')
    expect(text).toContain('evil\\x1b[2J title')
    expect(text).toContain('a\\x0db: bad\\x0a\\x1b[31mred')
  })

  it('says so when there is nothing, and caps the problem list', () => {
    const r: Report = {
      ...sampleReport(),
      findings: [],
      verdicts: [],
      problems: Array.from({ length: 13 }, (_, i) => ({
        stage: 'collect',
        path: `f${String(i).padStart(2, '0')}`,
        message: 'unreadable',
        level: 'error' as const,
      })),
    }
    const text = tableReport(r)
    expect(text.startsWith('No findings.\n')).toBe(true)
    expect(text).toContain('  error    collect      f09: unreadable\n')
    expect(text).not.toContain('f10: unreadable')
    expect(text).toContain('  … and 3 more (the JSON report lists all)\n')
  })

  it('summarises a diff report in the footer', () => {
    const r: Report = {
      ...sampleReport(),
      diff: {
        old: 'app-18.12.407',
        new: 'app-18.12.416',
        files: {
          added: ['x'],
          removed: [],
          changed: ['ffmpeg.dll', 'a'],
          moved: [],
          unchanged: 1200,
        },
        components: { changed: [], added: [], removed: [], unchanged: 4 },
      },
    }
    expect(tableReport(r)).toContain(
      [
        '\ndiff: app-18.12.407 → app-18.12.416',
        '  files: 1 added · 0 removed · 2 changed · 0 moved · 1,200 unchanged',
        '  components: 0 changed · 0 added · 0 removed · 4 unchanged\n',
      ].join('\n'),
    )
  })

  it('names host subjects', () => {
    const r = sampleReport()
    const f = r.findings[0]!
    const v = { severity: 'high' as const, layers: [f.layer], findingIds: [f.id], reasons: ['x'] }
    r.verdicts = [
      { ...v, subject: '10.0.0.7', subjectKind: 'host' },
      { ...v, subject: '(host)', subjectKind: 'host' },
    ]
    expect(tableReport(r)).toContain('\n  host 10.0.0.7 ')
    expect(tableReport(r)).toContain('\n  this host ')
    expect(tableReport({ ...r, host: { name: 'ws-17' } })).toContain('\n  host ws-17 ')
  })

  it('correlates on the fly when the report has no verdicts', () => {
    const r = sampleReport()
    r.verdicts = undefined
    expect(tableReport(r)).toBe(tableReport(sampleReport()))
  })
})

describe('text helpers', () => {
  it('shortens in the middle keeping the file name, and truncates at the end', () => {
    expect(shortenMiddle('abcdefghij', 10)).toBe('abcdefghij')
    expect(shortenMiddle('a/very/long/path/to/file.dll', 16)).toBe('a/very…/file.dll')
    expect(width(shortenMiddle('x'.repeat(500), 40))).toBe(40)
    expect(truncateEnd('hello world', 6)).toBe('hello…')
    expect(shortenMiddle('😀😀😀😀😀😀', 4)).toBe('😀…😀😀')
  })

  it('formats sizes and durations', () => {
    expect(formatBytes(512)).toBe('512 B')
    expect(formatBytes(1536)).toBe('1.5 KiB')
    expect(formatDuration(850)).toBe('850 ms')
    expect(formatDuration(6210)).toBe('6.2 s')
    expect(formatDuration(125_000)).toBe('2 min 5 s')
    expect(printable('a\u0085b')).toBe('a\\x85b')
  })
})
