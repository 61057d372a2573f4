//go:build !unix

package main

import "math"

// selfCPU is not measured here (the bench runs on Linux).
func selfCPU() float64 { return math.NaN() }
