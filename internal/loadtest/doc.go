// Package loadtest holds the load test of `make test`: the real Terraform
// CLI, at a -parallelism that terraform-plugin-testing cannot set, applies
// hundreds of resources through a built provider binary against sandbox
// emulators that throttle with 429s. It has no code outside its tests.
package loadtest
