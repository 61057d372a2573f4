//go:build unix

package zato

import (
	"os"
	"path/filepath"
	"syscall"
)

// lockState takes an exclusive flock on the state's lock file. The kernel
// releases it when the process dies, so a crashed fake cannot wedge the rest.
func lockState(serverPath string) (func(), error) {
	f, err := os.OpenFile(filepath.Join(serverPath, CLIStateFile+".lock"), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		_ = f.Close()
		return nil, err
	}
	return func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		_ = f.Close()
	}, nil
}
