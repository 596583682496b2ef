package clock

import (
	"context"
	"testing"
	"time"
)

// The real OS view never crashes and says where its facts came from, or why none.
func TestReadOSClock(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c := ReadOSClock(ctx)
	if len(c.Notes) == 0 {
		t.Errorf("no notes: %+v", c)
	}
	if c.MaxError != nil && *c.MaxError < 0 {
		t.Errorf("max error %s", *c.MaxError)
	}
	t.Logf("%+v %v", c, c.Notes)
}
