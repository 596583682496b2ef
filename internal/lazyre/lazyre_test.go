package lazyre

import (
	"regexp"
	"sync"
	"testing"
)

var word = New(`^[a-z]+$`)

// Every caller, concurrent or not, gets the one compiled expression.
func TestGetCompilesOnce(t *testing.T) {
	var wg sync.WaitGroup
	got := make([]*regexp.Regexp, 8)
	for i := range got {
		wg.Go(func() { got[i] = word.Get() })
	}
	wg.Wait()
	for _, re := range got {
		if re != word.Get() {
			t.Fatal("Get compiled the expression more than once")
		}
	}
	if !word.Get().MatchString("otp") || word.Get().MatchString("OTP") {
		t.Error("the compiled expression does not match as written")
	}
}
