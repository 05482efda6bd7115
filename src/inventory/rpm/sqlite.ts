/**
 * Read-only access to an SQLite file through better-sqlite3, loaded lazily (a native module only
 * the RPM cataloger needs). The database is deserialised from bytes, so archive members and
 * read-only file systems work alike and nothing is written beside the scanned file.
 */
import { createRequire } from 'node:module'

interface Statement {
  iterate(...params: unknown[]): IterableIterator<Record<string, unknown>>
}
export interface SqliteDb {
  prepare(sql: string): Statement
  close(): void
}
type DatabaseCtor = new (src: Buffer, opts: { readonly: boolean }) => SqliteDb

let ctor: DatabaseCtor | undefined

function loadCtor(): DatabaseCtor {
  ctor ??= createRequire(import.meta.url)('better-sqlite3') as DatabaseCtor
  return ctor
}

/**
 * Opens SQLite bytes read-only. A WAL-mode header (format bytes 18/19 = 2, as rpm leaves
 * rpmdb.sqlite) is switched to rollback mode in a copy, since SQLite cannot open an in-memory
 * image in WAL mode; the content is the same.
 */
export function openSqliteBytes(bytes: Buffer): SqliteDb {
  if (bytes.length < 100 || bytes.toString('latin1', 0, 16) !== 'SQLite format 3\0') {
    throw new Error('not an SQLite 3 database')
  }
  let image = bytes
  if (bytes[18] === 2 || bytes[19] === 2) {
    image = Buffer.from(bytes)
    image[18] = 1
    image[19] = 1
  }
  return new (loadCtor())(image, { readonly: true })
}
