// Package profile holds what otpdoctor knows about each service: the TOTP parameters it
// expects, the backup and recovery codes it issues, its time and status endpoints, and
// where its help pages are. Profiles are data embedded in the binary (profiles.json);
// users add or override them with --profiles FILE in the same schema.
package profile

import "regexp"

// Profile is one service. JSON field names are the profile file schema (docs/services.md).
type Profile struct {
	ID   string `json:"id"`
	Name string `json:"name"`

	TOTP TOTP `json:"totp"`

	// BackupFormats are the backup/recovery code formats the service issues.
	BackupFormats []CodeFormat `json:"backup_formats,omitempty"`
	// BackupKeyIsTOTPKey: what the service calls a backup key (Binance's 16-character
	// "Backup Key", Kraken's setup key) is the TOTP key itself, not a one-time code.
	BackupKeyIsTOTPKey bool `json:"backup_key_is_totp_key,omitempty"`

	// TimeAPI and Status are the endpoints the status check probes; nil when none.
	TimeAPI *Endpoint `json:"time_api,omitempty"`
	Status  *Endpoint `json:"status,omitempty"`

	Links Links `json:"links"`
	// Advice is the "avoid it next time" advice specific to this service.
	Advice []string `json:"advice,omitempty"`
	// Sources say where the facts above come from (docs/services.md lists them).
	Sources []string `json:"sources,omitempty"`
}

// TOTP is what the service expects of an authenticator's codes.
type TOTP struct {
	Algorithm string `json:"algorithm"` // SHA1, SHA256, SHA512
	Digits    int    `json:"digits"`
	Period    int    `json:"period"` // seconds
	// AcceptedSteps is how many steps either side of the current one the service accepts,
	// when published; -1 when unknown.
	AcceptedSteps int `json:"accepted_steps"`
}

// CodeFormat is one kind of backup or recovery code.
type CodeFormat struct {
	Name     string `json:"name"`
	Pattern  string `json:"pattern"`  // regular expression over the normalised code
	Alphabet string `json:"alphabet"` // characters a normalised code may contain
	Length   int    `json:"length"`   // characters after normalisation; 0 = any (the pattern decides)
	Grouping []int  `json:"grouping,omitempty"`
	// Separator is what the service prints between groups: "-" (default) or " ".
	Separator string `json:"separator,omitempty"`
	// UpperCase: the service prints letters in capitals (codes are compared ignoring case).
	UpperCase bool `json:"upper_case,omitempty"`
	// Issued is how many codes one set holds (0 when unknown).
	Issued         int      `json:"issued,omitempty"`
	SingleUse      bool     `json:"single_use"`
	NewSetVoidsOld bool     `json:"new_set_voids_old"`
	Examples       []string `json:"examples,omitempty"`

	re       func() *regexp.Regexp // Pattern, anchored and compiled: by Load, or on first use
	alphabet charSet               // Alphabet, by Load or with the lazy pattern
}

// Endpoint is a URL and the protocol spoken there.
type Endpoint struct {
	URL  string `json:"url"`
	Kind string `json:"kind"` // time APIs: binance, kraken, coinbase; status: statuspage, binance, kraken, http
}

// Links are the service's pages a person can be sent to.
type Links struct {
	Help       string `json:"help,omitempty"`
	Support    string `json:"support,omitempty"`
	StatusPage string `json:"status_page,omitempty"`
}
