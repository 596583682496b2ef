package phone

import _ "embed"

// pageHTML is the one file the phone loads: HTML with its script and style inline, so that
// it needs nothing from anywhere else (the LAN may have no internet).
//
//go:embed page.html
var pageHTML []byte
