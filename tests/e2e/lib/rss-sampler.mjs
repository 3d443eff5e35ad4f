// A process's resident memory, sampled from /proc/<pid>/status (VmRSS) every 200 ms:
// the largest value overall and per phase, and a safety callback above a bound.

import fs from 'node:fs';

export class RssSampler {
  constructor(pid, { safetyKb, onOverSafety }) {
    Object.assign(this, { pid, safetyKb, onOverSafety });
    this.maxKb = 0;
    this.byPhase = {};
    this.samples = 0;
    this.safetyTripped = false;
  }

  read() {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${this.pid}/status`, 'utf8'));
      return m ? Number(m[1]) : null;
    } catch {
      return null; // the server is gone; the test reports that separately
    }
  }

  start(phaseOf) {
    this.timer = setInterval(() => {
      const kb = this.read();
      if (kb === null) return;
      this.samples += 1;
      this.maxKb = Math.max(this.maxKb, kb);
      const phase = phaseOf();
      this.byPhase[phase] = Math.max(this.byPhase[phase] ?? 0, kb);
      if (kb > this.safetyKb && !this.safetyTripped) {
        this.safetyTripped = true;
        this.onOverSafety(kb);
      }
    }, 200);
  }

  stop() { clearInterval(this.timer); }
}
