// Idle: daemon RSS and CPU over 60 s with nothing to do (goal <= 80 MB, <= 0.5% CPU).
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { record, startDaemon, tempRoot } from './lib.mjs';

const SECONDS = Number(process.env.SECONDS ?? 60);
const root = tempRoot();
// IDLE_CONFIG='{"ui":{"enabled":false}}' measures another setup (the page off, say).
const extra = JSON.parse(process.env.IDLE_CONFIG ?? '{"ui":{"port":0}}');
const daemon = await startDaemon(root, extra);
await sleep(3000); // let start-up settle
const pid = daemon.proc.pid;
const ticks = () => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(f[11]) + Number(f[12]); // utime + stime, in clock ticks (100/s)
};
const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
const t0 = ticks();
let peak = 0;
for (let i = 0; i < SECONDS; i++) {
  peak = Math.max(peak, rss());
  await sleep(1000);
}
const cpu = ((ticks() - t0) / 100 / SECONDS) * 100;
await daemon.stop();
record(`Idle: ${SECONDS} s with nothing to do, config ${JSON.stringify(extra)}`, [
  `- daemon RSS: peak **${peak.toFixed(1)} MB** (goal <= 80 MB)`,
  `- daemon CPU: **${cpu.toFixed(2)}%** of one core (goal <= 0.5%)`,
].join('\n'), { seconds: SECONDS, peakRssMb: peak, cpuPercent: cpu });
