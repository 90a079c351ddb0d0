/**
 * Part of npm run bench:finedb — listing a jar's entries and reading its MANIFEST with wss-setup's
 * reader (yauzl behind a windowed random-access reader, main/engine/fine/jar-reader.ts) against a
 * plain walk of the zip central directory read in one call (what the hand-written reader it
 * replaced did), on the same jars in the same run (medians). yauzl is kept for what the plain
 * walk lacked (Zip64, a spec-following parser, non-regular files refused); this prints its cost.
 */
import { closeSync, existsSync, fstatSync, openSync, readSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import { jarEntryNames, readJarManifest } from '../main/engine/fine/index.js';

const JARS = ['/usr/share/java/hsqldb.jar', '/usr/share/java/guava.jar', '/usr/share/java/tomcat10-catalina.jar'].filter((p) => existsSync(p));

function readAt(fd: number, position: number, length: number): Buffer {
  const buffer = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, buffer, done, length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return buffer.subarray(0, done);
}

/** The reference: EOCD, one read of the central directory, a walk over it, the MANIFEST inflated. */
function plainWalk(path: string): number {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const tail = readAt(fd, Math.max(0, size - 65_557), Math.min(size, 65_557));
    let eocd = tail.length - 22;
    while (eocd >= 0 && tail.readUInt32LE(eocd) !== 0x06054b50) eocd--;
    const count = tail.readUInt16LE(eocd + 10);
    const dir = readAt(fd, tail.readUInt32LE(eocd + 16), tail.readUInt32LE(eocd + 12));
    let at = 0;
    let names = 0;
    for (let i = 0; i < count; i++) {
      const nameLength = dir.readUInt16LE(at + 28);
      const name = dir.toString('utf8', at + 46, at + 46 + nameLength);
      names++;
      if (name === 'META-INF/MANIFEST.MF') {
        const local = dir.readUInt32LE(at + 42);
        const header = readAt(fd, local, 30);
        const data = readAt(fd, local + 30 + header.readUInt16LE(26) + header.readUInt16LE(28), dir.readUInt32LE(at + 20));
        if (dir.readUInt16LE(at + 10) === 8) inflateRawSync(data);
      }
      at += 46 + nameLength + dir.readUInt16LE(at + 30) + dir.readUInt16LE(at + 32);
    }
    return names;
  } finally {
    closeSync(fd);
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function benchJarReading(runs = 21): Promise<string[]> {
  const lines = [`jar reading — entries + MANIFEST, ${runs} runs each, interleaved (medians)`];
  for (const jar of JARS) {
    const ours: number[] = [];
    const plain: number[] = [];
    let count = 0;
    for (let i = 0; i < runs; i++) {
      let t = performance.now();
      count = (await jarEntryNames(jar))!.length;
      await readJarManifest(jar);
      ours.push(performance.now() - t);
      t = performance.now();
      plainWalk(jar);
      plain.push(performance.now() - t);
    }
    const o = median(ours);
    const p = median(plain);
    lines.push(`  ${jar} (${count} entries): yauzl reader ${o.toFixed(2)} ms, plain walk ${p.toFixed(2)} ms (${(o / p).toFixed(1)}x)`);
  }
  return lines;
}
