package diag

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"
)

// Facts are one check's measured values: one of the typed structs below, named as the
// report contract (DESIGN.md) names them. The engine reads them typed, so renaming a
// fact breaks the build, not a scenario. Result.Facts holds a pointer to the struct.
type Facts interface {
	// CheckID is the id of the check that publishes these facts.
	CheckID() string
}

// ClockFacts are the clock check's facts. Offsets are positive when this machine is
// ahead of true time.
type ClockFacts struct {
	OffsetSeconds      *float64 `json:"offset_seconds"`
	UncertaintySeconds *float64 `json:"uncertainty_seconds"`
	SpreadSeconds      *float64 `json:"spread_seconds"`
	Reference          string   `json:"reference"`
	Majority           *bool    `json:"majority"`
	// DisagreementSeconds is, with no majority, how far apart the sources' offsets are;
	// null when a majority agrees. From diag.ClockOK up, the offset is not judged (null).
	DisagreementSeconds *float64           `json:"disagreement_seconds"`
	Sources             []ClockSourceFacts `json:"sources"`
	OSSynchronized      *bool              `json:"os_synchronized"`
	OSAutomaticTime     *bool              `json:"os_automatic_time"`
	OSMaxErrorSeconds   *float64           `json:"os_max_error_seconds"`
	OSEstErrorSeconds   *float64           `json:"os_estimated_error_seconds"`
	Timezone            string             `json:"timezone"`
	UTCOffsetSeconds    int                `json:"utc_offset_seconds"`
	// TrueTime (RFC 3339 UTC, ms) and StepSecondsLeft (in the current 30 s step, at
	// true time) let a person compare an authenticator's countdown.
	TrueTime        *string  `json:"true_time"`
	StepSecondsLeft *float64 `json:"step_seconds_left"`
}

// ClockSourceFacts are one time source the clock check asked.
type ClockSourceFacts struct {
	Server             string   `json:"server"`
	Protocol           string   `json:"protocol"`
	OffsetSeconds      *float64 `json:"offset_seconds"`
	UncertaintySeconds *float64 `json:"uncertainty_seconds"`
	RTTMS              *float64 `json:"rtt_ms"`
	Stratum            *int     `json:"stratum"`
	Error              *string  `json:"error"`
}

// SecretFacts are the secret check's facts about one key. Key-derived fields are null
// when the key could not be read.
type SecretFacts struct {
	Type        string  `json:"type"`      // totp, hotp
	Algorithm   string  `json:"algorithm"` // SHA1, SHA256, SHA512
	Digits      int     `json:"digits"`
	Encoding    string  `json:"encoding,omitempty"` // "steam": Steam Guard's 5-letter codes; absent for digits
	Period      *int    `json:"period"`             // null for HOTP
	Counter     *uint64 `json:"counter,omitempty"`
	KeyBits     *int    `json:"key_bits"`
	Fingerprint *string `json:"fingerprint"`
	Issuer      string  `json:"issuer"`
	Account     string  `json:"account"`
	Canonical   *bool   `json:"canonical"` // the base32 text had zero unused bits
	Source      string  `json:"source,omitempty"`
	Accounts    int     `json:"accounts_in_source,omitempty"`
	Readable    bool    `json:"readable"`
}

// SecretSourceFacts are the facts of a whole source of keys (an export, a list of
// URIs): the line `secret list` gives it, under the secret check's id.
type SecretSourceFacts struct {
	Source     string `json:"source"`
	Accounts   int    `json:"accounts"`
	Unreadable int    `json:"unreadable"`
	Duplicates int    `json:"duplicates"`
}

// CodesFacts are the codes check's facts.
type CodesFacts struct {
	Matched   bool   `json:"matched"`
	Possible  bool   `json:"possible"` // matched, but chance could explain it
	Algorithm string `json:"algorithm"`
	Digits    int    `json:"digits"`
	Period    *int   `json:"period"` // null for HOTP
	// OffsetSteps is the first code's matched step minus the step it was expected at.
	OffsetSteps *int64 `json:"offset_steps"`
	// AuthenticatorOffsetSeconds is [min, max] of the authenticator's clock minus true
	// time that the match implies; empty when nothing matched.
	AuthenticatorOffsetSeconds []float64 `json:"authenticator_offset_seconds"`
	WindowSteps                uint64    `json:"window_steps"`
	ChanceMatches              float64   `json:"chance_matches"`
	Counter                    *uint64   `json:"counter,omitempty"`
	// CounterAhead is, for HOTP, how far the matched counter is past the expected one.
	CounterAhead  *uint64    `json:"counter_ahead,omitempty"`
	Codes         int        `json:"codes"`
	Reference     string     `json:"reference,omitempty"` // TOTP: the clock check's source, or local-clock
	ReferenceTime *time.Time `json:"reference_time,omitempty"`
	Searched      []string   `json:"searched"`
	LikelyClock   string     `json:"likely_clock,omitempty"`
	Typo          string     `json:"typo,omitempty"`
	Fingerprint   string     `json:"fingerprint"`
}

// BackupFacts are the backup check's facts.
type BackupFacts struct {
	Total      int    `json:"total"`
	Valid      int    `json:"valid"`
	Invalid    int    `json:"invalid"`
	Duplicates int    `json:"duplicates"`
	Format     string `json:"format"` // the format the valid codes fit; "" when none
	Service    string `json:"service"`
	KeyLike    int    `json:"key_like"`  // "codes" that are authenticator keys
	TOTPLike   int    `json:"totp_like"` // authenticator codes given as backup codes
	Used       int    `json:"used"`      // codes given that the ledger has as spent
	// Unused is how many codes of the newest set are not spent, or null when no whole
	// set was given.
	Unused *int `json:"unused"`
	// LedgerUsed is how many of the service's codes the ledger holds as spent, or null
	// when the ledger could not be read.
	LedgerUsed *int `json:"ledger_used"`
	// Mistyped are the first mistyped codes (up to 100), by where and position: a
	// report never holds a whole backup code.
	Mistyped []BackupTypo `json:"mistyped,omitempty"`
}

// BackupTypo is a mistyped backup code, described without the code.
type BackupTypo struct {
	Where        string `json:"where"`         // "--backup-code 2", "codes.txt line 4"
	Length       int    `json:"length"`        // its characters, spaces and hyphens aside
	FormatLength int    `json:"format_length"` // the length of the format's codes; 0 when it varies
	// Characters are the characters no code of the format holds.
	Characters []BackupCharacter `json:"characters"`
	// Doubled are the first positions of the pairs of equal characters of which one
	// was probably typed twice.
	Doubled []int `json:"doubled"`
	// Corrections say, by position, how the code becomes a code that fits: "character 8
	// as the digit 0".
	Corrections []string `json:"corrections"`
}

// BackupCharacter is a character of a mistyped code.
type BackupCharacter struct {
	Position int    `json:"position"` // 1-based, spaces and hyphens aside
	Found    string `json:"found"`
	Probably string `json:"probably"` // the character probably meant; "" when none is likely
}

// StatusFacts are the status check's facts.
type StatusFacts struct {
	Indicator string `json:"indicator"` // none, minor, major, critical, maintenance, unknown
	// HTTPStatus is the status API's HTTP status; null when no answer came.
	HTTPStatus *int `json:"http_status"`
	// ServerOffsetSeconds is this machine's clock minus the service's: positive = this
	// machine is ahead of the service. Null when the service's clock could not be read.
	ServerOffsetSeconds *float64 `json:"server_offset_seconds"`
	// ServerOffsetBoundsSeconds is [min, max] of that offset, from the round trip and the
	// service clock's resolution.
	ServerOffsetBoundsSeconds *[2]float64 `json:"server_offset_bounds_seconds"`
	ServerTimeSource          string      `json:"server_time_source"` // binance, kraken, coinbase, date-header, none
	URL                       string      `json:"url"`
	Kind                      string      `json:"kind"` // statuspage, binance, kraken, http; "" when unknown
	Description               string      `json:"description,omitempty"`
	// Failure is what went wrong (the status check's failure codes), "" when nothing did.
	Failure           string          `json:"failure,omitempty"`
	RetryAfterSeconds *float64        `json:"retry_after_seconds,omitempty"`
	Components        []ComponentFact `json:"components"`
	Incidents         []IncidentFact  `json:"incidents"`
	Maintenances      []IncidentFact  `json:"maintenances"`
	Timings           *Timings        `json:"timings"`
	TLS               *TLSFacts       `json:"tls"`
	// ServiceClockErrorSeconds is the service's clock minus true time (the clock check's
	// reference), when both are known and they disagree.
	ServiceClockErrorSeconds *float64 `json:"service_clock_error_seconds,omitempty"`
	// PingMS is Binance's /api/v3/ping round trip; null when not asked or failed.
	PingMS *float64 `json:"ping_ms,omitempty"`
}

// ComponentFact is a status page component that matters here: one to do with signing
// in, 2FA or the API (Relevant), or any that is not operational.
type ComponentFact struct {
	Name     string `json:"name"`
	Status   string `json:"status"`
	Relevant bool   `json:"relevant"`
}

// IncidentFact is an unresolved incident or a scheduled maintenance.
type IncidentFact struct {
	Name     string `json:"name"`
	Status   string `json:"status"`
	Impact   string `json:"impact"`
	URL      string `json:"url,omitempty"`
	Relevant bool   `json:"relevant"`
	Active   bool   `json:"active"`
}

// Timings are the phases of one HTTP exchange, in milliseconds.
type Timings struct {
	DNS       *float64 `json:"dns_ms"`
	Connect   *float64 `json:"connect_ms"`
	TLS       *float64 `json:"tls_ms"`
	FirstByte *float64 `json:"first_byte_ms"` // from the request written to the first byte of the answer
	Total     float64  `json:"total_ms"`
}

// TLSFacts describe the certificate a service presented and how it was judged.
type TLSFacts struct {
	Version   string `json:"version,omitempty"`
	Subject   string `json:"subject"`
	Issuer    string `json:"issuer"`
	NotBefore string `json:"not_before"`
	NotAfter  string `json:"not_after"`
	Verified  bool   `json:"verified"`
	Error     string `json:"error,omitempty"`
	// ValidAtServerDate and ValidAtTrueTime say whether a chain refused for its dates
	// verifies at the service's Date and at the run's reference time; null when not
	// asked or not known.
	ValidAtServerDate *bool `json:"valid_at_server_date,omitempty"`
	ValidAtTrueTime   *bool `json:"valid_at_true_time,omitempty"`
}

// Phone check methods: how the phone's clock was measured.
const (
	PhoneMethodBrowser = "browser" // the phone's own browser timed its clock against true time
	PhoneMethodManual  = "manual"  // the user pressed a key when the phone's clock turned
)

// PhoneFacts are the phone check's facts. Offsets are positive when the phone is ahead
// of true time.
type PhoneFacts struct {
	OffsetSeconds      *float64 `json:"offset_seconds"`
	UncertaintySeconds *float64 `json:"uncertainty_seconds"`
	RTTMS              *float64 `json:"rtt_ms"`
	Rounds             int      `json:"rounds"`
	Reference          string   `json:"reference"`
	Timezone           string   `json:"timezone"`
	UTCOffsetSeconds   *int     `json:"utc_offset_seconds"`
	Platform           string   `json:"platform"` // android, ios, ... as --platform names them; "" when unknown
	OSVersion          string   `json:"os_version"`
	Browser            string   `json:"browser"`
	BrowserVersion     string   `json:"browser_version"`
	Method             string   `json:"method"` // PhoneMethodBrowser or PhoneMethodManual
}

// OtherFacts are the facts of a check this version does not know (a newer
// otpdoctor's), or of a result that has none, kept as they were read.
type OtherFacts struct {
	ID     string
	Values map[string]any
}

func (*ClockFacts) CheckID() string        { return CheckClock }
func (*SecretFacts) CheckID() string       { return CheckSecret }
func (*SecretSourceFacts) CheckID() string { return CheckSecret }
func (*CodesFacts) CheckID() string        { return CheckCodes }
func (*BackupFacts) CheckID() string       { return CheckBackup }
func (*StatusFacts) CheckID() string       { return CheckStatus }
func (*PhoneFacts) CheckID() string        { return CheckPhone }
func (f *OtherFacts) CheckID() string      { return f.ID }

// MarshalJSON writes the values as read; no values is an empty object.
func (f *OtherFacts) MarshalJSON() ([]byte, error) {
	if f.Values == nil {
		return []byte("{}"), nil
	}
	return json.Marshal(f.Values)
}

// noFacts is the facts of a result that measured nothing (a skip, a crash).
func noFacts(id string) *OtherFacts { return &OtherFacts{ID: id} }

// factsFor returns an empty value of the facts type check id publishes, judged by the
// keys present where one id has two shapes; OtherFacts for an id this version does not
// know, or facts with no keys at all (a skipped check).
func factsFor(id string, keys map[string]json.RawMessage) Facts {
	if len(keys) == 0 {
		return noFacts(id)
	}
	switch id {
	case CheckClock:
		return &ClockFacts{}
	case CheckSecret:
		if _, entry := keys["readable"]; !entry {
			return &SecretSourceFacts{}
		}
		return &SecretFacts{}
	case CheckCodes:
		return &CodesFacts{}
	case CheckBackup:
		return &BackupFacts{}
	case CheckStatus:
		return &StatusFacts{}
	case CheckPhone:
		return &PhoneFacts{}
	}
	return &OtherFacts{ID: id}
}

// decodeFacts reads the facts of a check id from a report.
func decodeFacts(id string, data json.RawMessage) (Facts, error) {
	if len(bytes.TrimSpace(data)) == 0 || string(bytes.TrimSpace(data)) == "null" {
		return noFacts(id), nil
	}
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(data, &keys); err != nil {
		return nil, fmt.Errorf("the %s check's facts: %w", id, err)
	}
	f := factsFor(id, keys)
	if other, ok := f.(*OtherFacts); ok {
		if len(keys) > 0 {
			if err := json.Unmarshal(data, &other.Values); err != nil {
				return nil, fmt.Errorf("the %s check's facts: %w", id, err)
			}
		}
		return other, nil
	}
	if err := json.Unmarshal(data, f); err != nil {
		return nil, fmt.Errorf("the %s check's facts: %w", id, err)
	}
	return f, nil
}

// FactValues are facts as name → value in their JSON shape, for renderers that list
// every fact (-vv).
func FactValues(f Facts) map[string]any {
	values := map[string]any{}
	if f == nil {
		return values
	}
	data, err := json.Marshal(f)
	if err != nil {
		return values
	}
	_ = json.Unmarshal(data, &values)
	return values
}
