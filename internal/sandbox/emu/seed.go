package emu

import "fmt"

// SeedName is the login name of the i-th user an emulator's SeedUsers adds
// for listing tests: user0001, user0002, ... (sorted as numbered up to 9999).
func SeedName(i int) string { return fmt.Sprintf("user%04d", i) }
