package main

import (
	"slices"
	"testing"

	"github.com/spf13/cobra"
)

// A run builds only the command its arguments name (whatever flags come first), and
// the whole tree when they name none of ours: help, completion and suggestions need
// every command.
func TestCommandTreeHoldsWhatArgsRun(t *testing.T) {
	a := &app{io: &streams{}}
	var all []string
	for _, c := range commands {
		if got := c.build(a).Name(); got != c.name {
			t.Errorf("command registered as %q is named %q", c.name, got)
		}
		all = append(all, c.name)
	}
	slices.Sort(all)
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"version"}, []string{"version"}},
		{[]string{"check", "--offline"}, []string{"check"}},
		{[]string{"--format", "json", "-v", "--timeout=3s", "secret", "list"}, []string{"secret"}},
		{[]string{"--offline", "match", "123456"}, []string{"match"}},
		{[]string{"guide"}, []string{"guide"}},
		{nil, all},
		{[]string{"--help"}, all},
		{[]string{"--version"}, all},
		{[]string{"help", "check"}, all},
		{[]string{"completion", "bash"}, all},
		{[]string{"__complete", "check", "--service", ""}, all},
		{[]string{"chek"}, all},
		{[]string{"JBSWY3DPEHPK3PXP"}, all},
	} {
		if got := commandNames(newRootCmd(a, tc.args)); !slices.Equal(got, tc.want) {
			t.Errorf("tree for %q holds %q, want %q", tc.args, got, tc.want)
		}
	}
}

func commandNames(root *cobra.Command) []string {
	var names []string
	for _, c := range root.Commands() {
		names = append(names, c.Name())
	}
	slices.Sort(names)
	return names
}
