// A test peer in a process of its own (json-server, the fast source): a free port, the spawn, a wait
// until it answers, and a stop that waits for the exit. Shared by the tests' helpers and bench/.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** A request as a test peer logged it on arrival (its own clock, epoch ms). */
export interface PeerRequest {
  method: string;
  url: string;
  at: number;
  /** json-server only, for writes: the parsed body and the Idempotency-Key header. */
  body?: unknown;
  idempotencyKey?: string;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export interface PeerProcess {
  readonly child: ChildProcess;
  /** CPU seconds the peer has used so far (Linux /proc), or null elsewhere. */
  cpuSeconds: () => number | null;
  stop: () => Promise<void>;
}

/** Spawns `node <args>` and resolves once `readyUrl` answers 2xx (60 s at most). */
export async function spawnPeer(name: string, args: string[], readyUrl: string): Promise<PeerProcess> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill();
    await exited;
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited: ${output}`);
    try {
      if ((await fetch(readyUrl)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${name} did not start within 60 s: ${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, cpuSeconds: () => processCpuSeconds(child.pid), stop };
}

// utime and stime are fields 14 and 15 of /proc/<pid>/stat, in clock ticks (100 per second on Linux).
const TICKS_PER_SECOND = 100;

function processCpuSeconds(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}
