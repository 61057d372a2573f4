package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
)

// The toolchain folder holds the CLIs of the extra legs, xz-compressed
// (<name>_<version>_<os>_<arch>.xz), and SHA256SUMS over the unpacked
// binaries ("<sha256>  <name>" lines). They are unpacked into a cache
// folder and checked against SHA256SUMS; a cached binary whose sum still
// matches is used as it is, so they are unpacked again only when a sum
// changes (or the cached copy was damaged).

// toolchainBinary is one binary of SHA256SUMS.
type toolchainBinary struct {
	name, sum string
}

// readSums reads a SHA256SUMS file, sorted by name.
func readSums(path string) ([]toolchainBinary, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out []toolchainBinary
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		sum, name, ok := strings.Cut(line, " ")
		name = strings.TrimPrefix(strings.TrimSpace(name), "*") // "*name": binary mode
		if _, err := hex.DecodeString(sum); !ok || err != nil || len(sum) != 64 || name == "" || strings.ContainsAny(name, `/\`) {
			return nil, fmt.Errorf("%s:%d: not a \"<sha256>  <name>\" line", path, n)
		}
		out = append(out, toolchainBinary{name: name, sum: strings.ToLower(sum)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out, nil
}

// unpackToolchain makes sure that cache holds every binary of dir's
// SHA256SUMS with its sum, unpacking those that are missing or differ, and
// returns their paths in the order of SHA256SUMS's names. log says what was
// done.
func unpackToolchain(ctx context.Context, dir, cache string, log io.Writer) ([]string, error) {
	bins, err := readSums(filepath.Join(dir, "SHA256SUMS"))
	if err != nil {
		return nil, err
	}
	if len(bins) == 0 {
		return nil, fmt.Errorf("%s lists no binary", filepath.Join(dir, "SHA256SUMS"))
	}
	if err := os.MkdirAll(cache, 0o750); err != nil {
		return nil, err
	}
	var paths []string
	for _, b := range bins {
		dst := filepath.Join(cache, b.name)
		if sum, err := fileSum(dst); err == nil && sum == b.sum {
			fmt.Fprintf(log, "    %s: cached, sha256 matches SHA256SUMS\n", dst)
			paths = append(paths, dst)
			continue
		}
		src, err := compressed(dir, b.name)
		if err != nil {
			return nil, err
		}
		if err := unpack(ctx, src, dst, b.sum); err != nil {
			return nil, err
		}
		fmt.Fprintf(log, "    %s: unpacked from %s, sha256 checked\n", dst, src)
		paths = append(paths, dst)
	}
	return paths, nil
}

// compressed is the one <name>_*.xz file of dir.
func compressed(dir, name string) (string, error) {
	matches, err := filepath.Glob(filepath.Join(dir, name+"_*.xz"))
	if err != nil {
		return "", err
	}
	if len(matches) != 1 {
		return "", fmt.Errorf("%s: want one %s_*.xz for %s of SHA256SUMS, found %d", dir, name, name, len(matches))
	}
	return matches[0], nil
}

// unpack decompresses src with the xz command (the toolchain's README
// gives `xz -dc`; Go's standard library has no xz reader) into dst,
// checking its sha256 on the way; dst is replaced only by a binary with the
// right sum.
func unpack(ctx context.Context, src, dst, wantSum string) error {
	xz, err := exec.LookPath("xz")
	if err != nil {
		return fmt.Errorf("unpacking %s needs the xz command (apt-get install xz-utils): %w", src, err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(dst), "."+filepath.Base(dst)+"-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after the rename, a no-op
	h := sha256.New()
	cmd := exec.CommandContext(ctx, xz, "-dc", src)
	cmd.Stdout = io.MultiWriter(tmp, h)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	runErr := cmd.Run()
	closeErr := tmp.Close()
	if err := errors.Join(runErr, closeErr); err != nil {
		return fmt.Errorf("xz -dc %s: %w %s", src, err, strings.TrimSpace(stderr.String()))
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != wantSum {
		return fmt.Errorf("%s unpacks to a binary whose sha256 is %s, but SHA256SUMS says %s: the toolchain folder is damaged or inconsistent", src, got, wantSum)
	}
	if err := os.Chmod(tmp.Name(), 0o755); err != nil { //nolint:gosec // G302: an executable
		return err
	}
	return os.Rename(tmp.Name(), dst)
}

// fileSum is the hex sha256 of a file.
func fileSum(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
