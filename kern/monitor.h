#ifndef KERN_MONITOR_H
#define KERN_MONITOR_H

__attribute__((noreturn)) void kmon_run(void);

#endif
