import { close, constants, fstat, open, read } from 'node:fs';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import yauzl from 'yauzl';

/**
 * JAR (zip) reading through yauzl: entry names and DOS dates from the central directory, and one
 * small entry's bytes (a MANIFEST). The jar is opened once with O_NONBLOCK and must be a regular
 * file (a FIFO or device planted in WEB-INF/lib is refused instead of blocking or streaming
 * forever).
 *
 * yauzl's own fd reader issues one read(2) per central-directory record (three per entry), which
 * made a 2,258-entry jar cost 165 ms against 1 ms for one read of the whole directory. The
 * WindowReader below serves yauzl's small reads from a 256 KiB window read in one call, so
 * yauzl keeps the zip parsing (Zip64, name decoding, size checks) at the cost of a few reads.
 */
export interface JarEntry {
  readonly name: string;
  /** Modification day from the entry's DOS date field, as YYYY-MM-DD. */
  readonly date: string;
}

export interface OpenJar {
  /** Entries read so far (all of them, unless `stopAt` ended the listing early). */
  readonly entries: readonly JarEntry[];
  /** The bytes of one listed entry, or null when absent, undecodable or larger than maxBytes. */
  read(name: string, maxBytes?: number): Promise<Buffer | null>;
  close(): void;
}

const WINDOW = 256 * 1024;
const MANIFEST = 'META-INF/MANIFEST.MF';

class WindowReader extends yauzl.RandomAccessReader {
  private window: Buffer = Buffer.alloc(0);
  private windowStart = 0;

  constructor(
    private readonly fd: number,
    private readonly size: number,
  ) {
    super();
  }

  /** Entry data; the stream never closes the descriptor (fs.createReadStream would on destroy). */
  override _readStreamForRange(start: number, end: number): Readable {
    let at = start;
    const fd = this.fd;
    return new Readable({
      read(wanted) {
        const length = Math.min(Math.max(wanted, 16 * 1024), end - at);
        if (length <= 0) return void this.push(null);
        const chunk = Buffer.alloc(length);
        read(fd, chunk, 0, length, at, (error, bytes) => {
          if (error) return void this.destroy(error);
          if (bytes === 0) return void this.destroy(new Error('unexpected end of file'));
          at += bytes;
          this.push(chunk.subarray(0, bytes));
        });
      },
    });
  }

  override read(buffer: Buffer, offset: number, length: number, position: number, callback: (err: Error | null) => void): void {
    const inWindow = position >= this.windowStart && position + length <= this.windowStart + this.window.length;
    if (inWindow) {
      this.window.copy(buffer, offset, position - this.windowStart, position - this.windowStart + length);
      queueMicrotask(() => callback(null));
      return;
    }
    const span = Math.min(Math.max(length, WINDOW), this.size - position);
    const next = Buffer.allocUnsafe(Math.max(span, 0));
    read(this.fd, next, 0, next.length, position, (error, bytes) => {
      if (error) return callback(error);
      if (bytes < length) return callback(new Error('unexpected end of file'));
      this.window = next.subarray(0, bytes);
      this.windowStart = position;
      this.window.copy(buffer, offset, 0, length);
      callback(null);
    });
  }

  override close(callback: (err: Error | null) => void): void {
    close(this.fd, (error) => callback(error ?? null));
  }
}

function dosDate(value: number): string {
  const year = 1980 + (value >> 9);
  const month = (value >> 5) & 0x0f;
  const day = value & 0x1f;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

async function readAll(stream: Readable, maxBytes: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      stream.destroy();
      return null;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * Opens a jar, or returns null when it is not a zip archive yauzl can read or not a regular
 * file. Throws the fs error when the file cannot be opened at all.
 */
export async function openJar(path: string, options: { readonly stopAt?: string } = {}): Promise<OpenJar | null> {
  const fd = await promisify(open)(path, constants.O_RDONLY | constants.O_NONBLOCK);
  let zip: yauzl.ZipFile;
  try {
    const stat = await promisify(fstat)(fd);
    if (!stat.isFile()) throw new Error('not a regular file');
    // From here the reader owns the descriptor: zip.close() closes it once its streams end.
    zip = await yauzl.fromRandomAccessReaderPromise(new WindowReader(fd, stat.size), stat.size, { autoClose: false, decodeStrings: false });
  } catch {
    close(fd, () => undefined);
    return null;
  }
  zip.on('error', () => undefined);
  const byName = new Map<string, yauzl.Entry>();
  const entries: JarEntry[] = [];
  const done = new Promise<boolean>((resolve) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      // decodeStrings off: names stay bytes (yauzl's per-name validation regexes cost ~30% of a
      // listing); jar tools write UTF-8 names, and CP437 names are ASCII in practice.
      const name = (entry.fileName as unknown as Buffer).toString('utf8');
      entries.push({ name, date: dosDate(entry.lastModFileDate) });
      if (!byName.has(name)) byName.set(name, entry);
      if (name === options.stopAt) resolve(true);
      else zip.readEntry();
    });
    zip.once('end', () => resolve(true));
    zip.once('error', () => resolve(false));
  });
  zip.readEntry();
  if (!(await done)) {
    zip.close();
    return null;
  }
  return {
    entries,
    async read(name, maxBytes = 1_000_000) {
      const entry = byName.get(name);
      if (entry === undefined || entry.uncompressedSize > maxBytes || entry.compressedSize > maxBytes || !entry.canDecodeFileData()) return null;
      try {
        return await readAll(await zip.openReadStreamPromise(entry), maxBytes);
      } catch {
        return null;
      }
    },
    close() {
      zip.close();
    },
  };
}

/** The MANIFEST of a jar and the date of its entry, or null (no zip, no manifest). Stops listing at the manifest, which jar tools write first. */
export async function readJarManifest(path: string): Promise<{ readonly text: string; readonly date: string } | null> {
  const jar = await openJar(path, { stopAt: MANIFEST });
  if (jar === null) return null;
  try {
    const entry = jar.entries.find((e) => e.name === MANIFEST);
    const bytes = entry ? await jar.read(MANIFEST, 256_000) : null;
    return entry && bytes ? { text: bytes.toString('utf8'), date: entry.date } : null;
  } finally {
    jar.close();
  }
}

/** Entry names of a jar (null when it is not a readable zip). */
export async function jarEntryNames(path: string): Promise<string[] | null> {
  const jar = await openJar(path);
  if (jar === null) return null;
  try {
    return jar.entries.map((e) => e.name);
  } finally {
    jar.close();
  }
}
