import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';

/** Samples this process's CPU between start and stop, through the inspector (no --cpu-prof restart needed). */
export class CpuProfiler {
  private session: Session | null = null;

  async start(): Promise<void> {
    if (this.session) throw new Error('already profiling');
    const session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 500 });
    await session.post('Profiler.start');
    this.session = session;
  }

  /** Writes the profile as a .cpuprofile (Chrome DevTools, speedscope). */
  async stop(file: string): Promise<void> {
    const session = this.session;
    if (!session) throw new Error('not profiling');
    this.session = null;
    try {
      const { profile } = await session.post('Profiler.stop');
      await writeFile(file, JSON.stringify(profile));
    } finally {
      session.disconnect();
    }
  }
}
