//go:build !linux

package trillet_test

import "os/exec"

// stopWithParent does nothing outside Linux: TestMain's cleanup stops the sandbox.
func stopWithParent(*exec.Cmd) {}
