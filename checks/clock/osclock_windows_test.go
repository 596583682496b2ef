package clock

import "testing"

func TestLeapIndicator(t *testing.T) {
	out := []byte("Leap Indicator: 3(not synchronized)\r\nStratum: 0 (unspecified)\r\n")
	if leap, ok := leapIndicator(out); !ok || leap != 3 {
		t.Errorf("leap %d, %v", leap, ok)
	}
	if _, ok := leapIndicator([]byte("Indicateur de saut : 0(aucun avertissement)\r\n")); ok {
		t.Error("a translated label was read")
	}
}

func FuzzLeapIndicator(f *testing.F) {
	f.Add([]byte("Leap Indicator: 0(no warning)\r\n"))
	f.Fuzz(func(t *testing.T, out []byte) {
		if leap, ok := leapIndicator(out); ok && (leap < 0 || leap > 3) {
			t.Fatalf("leap %d", leap)
		}
	})
}
