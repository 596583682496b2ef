package secret

import (
	"fmt"
	"strings"
	"testing"
)

// exportQR is the PNG of QR code index (0-based) of a 4-code export, 2 accounts each.
func exportQR(t *testing.T, index int32) []byte {
	accounts := testAccounts(8)[2*index : 2*index+2]
	return encodeImage(t, qrImage(t, migrationURI(buildPayload(accounts, 4, index, 99)), 400), "png")
}

// TestMergeExportQRCodes: three QR images of one four-code export in one run read to
// six accounts named by file, and the missing code is named; a code given twice is read
// once.
func TestMergeExportQRCodes(t *testing.T) {
	var names []string
	var sources []*Source
	for _, index := range []int32{0, 1, 3, 1} {
		src, err := Parse(exportQR(t, index))
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, fmt.Sprintf("shot%d.png", len(names)+1))
		sources = append(sources, src)
	}
	m := Merge(names, sources)
	if len(m.Entries) != 6 || m.Form != FormQR+":"+FormMigration || m.Files != 4 {
		t.Fatalf("%d entries, form %s, %d files", len(m.Entries), m.Form, m.Files)
	}
	if e := m.Entries[4]; e.Where != "shot3.png, account 1" || e.Key.Issuer != "Service 6" {
		t.Errorf("entry 5 at %q is %s", e.Where, e.Name())
	}
	missing := missingBatches(m)
	if len(missing) != 1 || !strings.HasPrefix(missing[0], "QR code 3 of the 4 in the export was not given") {
		t.Errorf("missing = %q", missing)
	}
	if len(m.Notes) != 1 || m.Notes[0] != "shot4.png repeats QR code 2 of the export that shot2.png gave: read once" {
		t.Errorf("notes = %q", m.Notes)
	}
}

// TestMergeForms: sources of different forms merge to "several sources", errors
// located in their file.
func TestMergeForms(t *testing.T) {
	a, _ := Parse([]byte(rfcKeyBase32))
	b, _ := Parse([]byte("otpauth://totp/x?secret=GEZDGNBVGY3TQOJ1"))
	m := Merge([]string{"key.txt", "uri.txt"}, []*Source{a, b})
	if m.Form != FormSources || len(m.Entries) != 2 || m.Entries[0].Where != "key.txt" {
		t.Fatalf("form %s, %d entries, first at %q", m.Form, len(m.Entries), m.Entries[0].Where)
	}
	if err := m.Entries[1].Err; err == nil || !strings.HasPrefix(err.Error(), "uri.txt, otpauth URI, secret parameter:") {
		t.Errorf("error %v", err)
	}
}
