// What the kernel says about a process: resident memory and CPU time, from /proc.
#pragma once

#include <optional>
#include <sys/types.h>

namespace harmonic::bench {

struct ProcessSample {
  long rss_kb = 0;      // VmRSS
  long hwm_kb = 0;      // VmHWM, the peak RSS so far
  double cpu_s = 0;     // user + system time
  double wait_s = 0;    // time spent runnable but waiting for a CPU (/proc/<pid>/schedstat)
  long threads = 0;
};

std::optional<ProcessSample> sample_process(pid_t pid);
// This process's own CPU time (user + system), for "was the load generator the bottleneck?"
double own_cpu_seconds();

}  // namespace harmonic::bench
