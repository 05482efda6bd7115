import { pipeline, type Readable } from 'node:stream'
import tarStream from 'tar-stream'
import { displayName } from '../names.js'
import type { Member } from './member.js'

/** Members of a tar stream, in order. The caller must consume or skip each before the next. */
export async function* tarMembers(input: Readable): AsyncGenerator<Member> {
  // Names decoded as latin1 keep every byte, so a name that is not UTF-8 survives to displayName().
  const options = { allowUnknownFormat: false, filenameEncoding: 'latin1' }
  const extract = tarStream.extract(options as Parameters<typeof tarStream.extract>[0])
  pipeline(input, extract, () => {})
  for await (const entry of extract) {
    const h = entry.header
    let used = false
    const member: Member = {
      name: displayName(Buffer.from(h.name, 'latin1')),
      kind:
        h.type === 'file' || h.type === 'contiguous-file'
          ? 'file'
          : h.type === 'directory'
            ? 'dir'
            : h.type === 'symlink' || h.type === 'link'
              ? 'symlink'
              : 'other',
      size: h.size ?? 0,
      content: () => {
        used = true
        return entry as AsyncIterable<Buffer>
      },
    }
    yield member
    if (!used) entry.resume()
  }
}
