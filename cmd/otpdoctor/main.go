// Command otpdoctor diagnoses rejected two-factor codes: it measures the clock, the key,
// the codes, the backup codes and the service, and says what is wrong and how to fix it.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	forbidCoreDumps()
	os.Exit(runProcess())
}

// runProcess runs otpdoctor as a process. Ctrl-C or SIGTERM cancels the run, which then
// prints what it has, marked interrupted (exit 130); a second Ctrl-C ends it at once.
func runProcess() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	context.AfterFunc(ctx, stop)
	return run(ctx, os.Args[1:], systemStreams())
}
