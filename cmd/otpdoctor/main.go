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
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	code := run(ctx, os.Args[1:], systemStreams())
	stop()
	os.Exit(code)
}
