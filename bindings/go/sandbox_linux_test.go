package trillet_test

import (
	"os/exec"
	"runtime"
	"syscall"
)

// stopWithParent makes the kernel kill the sandbox when this test binary dies without running
// its cleanup (a panic or a -timeout). The parent-death signal is tied to the thread that
// started the child, so the main goroutine stays on its thread for the rest of the run.
func stopWithParent(cmd *exec.Cmd) {
	runtime.LockOSThread()
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
