package main

import (
	"os"
	"strings"
	"testing"
)

// childArgsEnv makes the test binary run `vigie` with these arguments (separated by \x1f) instead
// of the tests: the worker integration test starts workers as subprocesses that it can SIGKILL.
const childArgsEnv = "VIGIE_TEST_CHILD_ARGS"

func TestMain(m *testing.M) {
	if a := os.Getenv(childArgsEnv); a != "" {
		os.Exit(run(strings.Split(a, "\x1f"), os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}
