/*
 * Markers for scripts/profile.py: it breaks on profile_begin with
 * PROFILE_MAGIC in a0 and single-steps until profile_end is entered with
 * it again (other processes may run the same addresses).  noipa: each
 * stays a function of its own, called with its argument in a0.
 */
#ifndef PROFMARK_H
#define PROFMARK_H

#include <stdint.h>

#define PROFILE_MAGIC	0x564d4b70726f66ULL

__attribute__((noipa, used)) static void
profile_begin(uint64_t magic)
{
	__asm__ volatile("" : : "r"(magic));
}

__attribute__((noipa, used)) static void
profile_end(uint64_t magic)
{
	__asm__ volatile("" : : "r"(magic));
}

#endif
