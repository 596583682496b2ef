//go:build docgen

package main

import (
	"os"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/otpdoctor/otpdoctor/internal/docgen"
)

// A build with -tags docgen (scripts/release-docs.sh) has a hidden `gen-man DIR` that
// writes the man pages releases ship, made from the commands of this very build.
func init() { registerCommand("gen-man", newGenManCmd) }

func newGenManCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:    "gen-man DIR",
		Short:  "Write otpdoctor's man pages into DIR",
		Hidden: true,
		Args:   cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			date, err := sourceDate()
			if err != nil {
				return err
			}
			// A fresh tree: the one running holds cobra's completion command, which
			// docs/man (made by the docs test) does not.
			return docgen.ManPages(newRootCmd(a, nil), args[0], date, "otpdoctor "+toolVersion(), manSections())
		},
	}
}

// sourceDate is SOURCE_DATE_EPOCH (the reproducible-builds convention: the release
// sets the commit's time), or now.
func sourceDate() (time.Time, error) {
	epoch := os.Getenv("SOURCE_DATE_EPOCH")
	if epoch == "" {
		return time.Now().UTC(), nil
	}
	seconds, err := strconv.ParseInt(epoch, 10, 64)
	if err != nil {
		return time.Time{}, usagef("set it to unix seconds, or unset it", "SOURCE_DATE_EPOCH is not a number of seconds")
	}
	return time.Unix(seconds, 0).UTC(), nil
}
