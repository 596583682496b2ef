package main

import (
	"io"
	"io/fs"
	"os"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/otpdoctor/otpdoctor/internal/fileio"
)

func init() {
	// filetype PATH KIND: PATH itself (not what a link points to) is a KIND: file, link,
	// folder, fifo or device.
	scriptCmds["filetype"] = func(ts *testscript.TestScript, neg bool, args []string) {
		if neg || len(args) != 2 {
			ts.Fatalf("usage: filetype PATH KIND")
		}
		info, err := os.Lstat(ts.MkAbs(args[0]))
		ts.Check(err)
		if got := fileKind(info.Mode()); got != args[1] {
			ts.Fatalf("%s is a %s, want a %s", args[0], got, args[1])
		}
	}
}

func fileKind(mode fs.FileMode) string {
	switch {
	case mode&fs.ModeSymlink != 0:
		return "link"
	case mode.IsDir():
		return "folder"
	case mode&fs.ModeNamedPipe != 0:
		return "fifo"
	case mode&fs.ModeDevice != 0:
		return "device"
	case mode.IsRegular():
		return "file"
	}
	return mode.String()
}

// pauseEnv names the FIFO otpdoctor-paused-write announces its temporary file on.
const pauseEnv = "OTPDOCTOR_TEST_PAUSE"

// pauseMidWrite makes the next atomic write announce its temporary file on the FIFO
// $OTPDOCTOR_TEST_PAUSE and then wait for ever: a signal is what ends it.
func pauseMidWrite() {
	fileio.TestHookBeforeRename = func(tmp string) error {
		f, err := os.OpenFile(os.Getenv(pauseEnv), os.O_WRONLY, 0)
		if err != nil {
			return err
		}
		io.WriteString(f, tmp+"\n")
		f.Close()
		select {}
	}
}
