import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A directory on a filesystem of its own, so the suite can fill it up: a small tmpfs mounted for the run. Only
 * root can mount (CI runs as root); elsewhere `open` says why not and the suite runs without disk-full phases.
 */
export interface ScratchDisk {
  readonly dir: string;
  /** Writes a filler file until the filesystem has no space left. */
  fill(): void;
  /** Deletes the filler. */
  free(): void;
  close(): void;
}

const FILLER = '.adversary-filler';

export function openScratchDisk(sizeMb = 24): ScratchDisk | { unavailable: string } {
  const dir = mkdtempSync(join(tmpdir(), 'perps-bot-adversary-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m,mode=0755`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    return {
      unavailable: `cannot mount a tmpfs for the disk-full phases (${String((error as { stderr?: Buffer }).stderr ?? error).trim()})`,
    };
  }
  const filler = join(dir, FILLER);
  return {
    dir,
    fill() {
      const fd = openSync(filler, 'a');
      const chunks = [1 << 20, 1 << 14, 1 << 10, 64];
      try {
        for (const size of chunks) {
          const buffer = Buffer.alloc(size);
          for (;;) {
            try {
              writeSync(fd, buffer);
            } catch {
              break; // ENOSPC at this chunk size: try a smaller one
            }
          }
        }
      } finally {
        closeSync(fd);
      }
    },
    free() {
      try {
        unlinkSync(filler);
      } catch {
        // not filled
      }
    },
    close() {
      try {
        execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
