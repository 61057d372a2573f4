//go:build unix

package main

import "syscall"

// selfCPU is the user + system CPU seconds this process has used so far:
// the bench's own and, above all, the in-process emulators'.
func selfCPU() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}
