package diag

import (
	"slices"
	"strings"
	"testing"
)

func clockResult(status Status, offset float64, findings ...Finding) Result {
	return Result{ID: CheckClock, Status: status, Findings: findings,
		Facts: &ClockFacts{OffsetSeconds: new(offset), UncertaintySeconds: new(0.05), Reference: ReferenceNTP}}
}

func codesResult(status Status, lo, hi float64, findings ...Finding) Result {
	return Result{ID: CheckCodes, Status: status, Findings: findings,
		Facts: &CodesFacts{Matched: true, Period: new(30), AuthenticatorOffsetSeconds: []float64{lo, hi}}}
}

// wideNoMatch are the facts of codes that matched nowhere in a year either side.
func wideNoMatch(codes int) *CodesFacts {
	return &CodesFacts{Algorithm: "SHA1", Digits: 6, Period: new(30), Codes: codes, WindowSteps: 366 * 2880}
}

func find(c Cause, s Severity) Finding {
	return Finding{Cause: c, Severity: s, Message: string(c) + " found"}
}

func diagnosisOf(t *testing.T, d []Diagnosis, c Cause) Diagnosis {
	t.Helper()
	for _, x := range d {
		if x.Cause == c {
			return x
		}
	}
	t.Fatalf("no %s in %+v", c, d)
	return Diagnosis{}
}

// crossCase is a diagnosis the rules must reach from the results of several checks.
type crossCase struct {
	name     string
	results  []Result
	top      Cause
	topConf  string
	evidence string // in the top diagnosis's evidence
	fix      string // in the top diagnosis's fix steps
	// noEvidence must not be in the top diagnosis's evidence.
	noEvidence string
	demoted    Cause // a cause that must be ranked low, with evidence against
	// also must be diagnosed too, with alsoConf.
	also     Cause
	alsoConf string
	// other must be among the other things found, not a cause of the refusal.
	other Cause
	// rule is the rule the case shows at work.
	rule string
	env  *Env
}

func TestDiagnoseCrossChecks(t *testing.T) {
	cases := []crossCase{
		{
			name: "the computer is right, the codes are two minutes early: the phone is behind",
			rule: "phoneClockNotThisOne",
			results: []Result{
				clockResult(StatusOK, 0.01),
				codesResult(StatusFail, -125, -95, find(CauseAuthenticatorClock, SeverityWarn)),
			},
			top: CauseAuthenticatorClock, topConf: ConfidenceHigh,
			evidence: "This computer's clock is right",
		},
		{
			name: "codes off by the same hour as this computer: the zone, on this device",
			rule: "authenticatorSharesThisClock",
			results: []Result{
				clockResult(StatusFail, 3600.2, find(CauseTimezone, SeverityFail)),
				codesResult(StatusFail, 3590, 3620, Finding{Cause: CauseAuthenticatorClock, Severity: SeverityFail,
					Message: "the phone is an hour ahead", Steps: Steps("Set the phone's clock right: it is about 1 h ahead.")}),
			},
			top: CauseTimezone, topConf: ConfidenceHigh,
			evidence: "same amount as this computer's clock",
			fix:      "Set the phone's clock right",
			demoted:  CauseAuthenticatorClock,
		},
		{
			name: "codes off by the same minutes as this computer: fix this device first",
			results: []Result{
				clockResult(StatusFail, 95.0, find(CauseDeviceClock, SeverityFail)),
				codesResult(StatusWarn, 80, 110, find(CauseAuthenticatorClock, SeverityFail)),
			},
			top: CauseDeviceClock, topConf: ConfidenceHigh,
			demoted: CauseAuthenticatorClock,
		},
		{
			name: "codes valid now, this computer 20 s ahead: the codes are not off by its amount",
			results: []Result{
				clockResult(StatusFail, 20.0, find(CauseDeviceClock, SeverityFail)),
				codesResult(StatusOK, -12, 18),
			},
			top: CauseDeviceClock, topConf: ConfidenceHigh,
			noEvidence: "same amount as this computer's clock",
		},
		{
			name: "nothing matches, the key is sound, the clock is right: another key",
			rule: "keyIsTheSuspect",
			results: []Result{
				clockResult(StatusOK, -0.2),
				{ID: CheckSecret, Status: StatusOK, Facts: &SecretFacts{Readable: true}},
				{ID: CheckCodes, Status: StatusFail, Facts: wideNoMatch(2), Findings: []Finding{find(CauseSecretMismatch, SeverityWarn)}},
			},
			top: CauseSecretMismatch, topConf: ConfidenceHigh,
			evidence: "The key you gave is sound",
		},
		{
			name: "nothing matches, the key is short but well-formed: another key, the length below",
			results: []Result{
				clockResult(StatusOK, 0.0),
				{ID: "secret", Status: StatusWarn, Findings: []Finding{find(CauseSecretInvalid, SeverityWarn)}},
				{ID: CheckCodes, Status: StatusFail, Facts: wideNoMatch(2), Findings: []Finding{find(CauseSecretMismatch, SeverityFail)}},
			},
			top: CauseSecretMismatch, topConf: ConfidenceHigh,
			noEvidence: "The key you gave is sound",
		},
		{
			name: "nothing matches but the key is malformed: fix the key first",
			results: []Result{
				clockResult(StatusOK, 0.0),
				{ID: "secret", Status: StatusFail, Findings: []Finding{find(CauseSecretInvalid, SeverityFail)}},
				{ID: CheckCodes, Status: StatusFail, Facts: wideNoMatch(2), Findings: []Finding{find(CauseSecretMismatch, SeverityFail)}},
			},
			top: CauseSecretInvalid, topConf: ConfidenceHigh,
			demoted: CauseSecretMismatch,
		},
		{
			name: "the service is in maintenance: wait, even with a clock off",
			rule: "outageMustConcernSignIn",
			results: []Result{
				clockResult(StatusFail, 40.0, find(CauseDeviceClock, SeverityFail)),
				{ID: "status", Status: StatusFail, Facts: &StatusFacts{Indicator: "maintenance", ServerOffsetSeconds: new(40.3)},
					Findings: []Finding{find(CauseServiceOutage, SeverityFail)}},
			},
			top: CauseServiceOutage, topConf: ConfidenceHigh,
			evidence: "nothing on your side needs fixing first",
		},
		{
			name: "the status page rates sign-in under maintenance a warning: still wait first",
			results: []Result{
				clockResult(StatusWarn, 8.0, find(CauseDeviceClock, SeverityWarn)),
				{ID: "status", Status: StatusWarn, Facts: &StatusFacts{Indicator: "maintenance"},
					Findings: []Finding{find(CauseServiceOutage, SeverityWarn)}},
			},
			top: CauseServiceOutage, topConf: ConfidenceHigh,
			evidence: "nothing on your side needs fixing first",
		},
		{
			name: "a malformed status answer is no word of the service's: the clock stays first",
			results: []Result{
				clockResult(StatusWarn, 8.0, find(CauseDeviceClock, SeverityWarn)),
				{ID: "status", Status: StatusWarn, Facts: &StatusFacts{Indicator: "unknown"},
					Findings: []Finding{find(CauseServiceOutage, SeverityWarn)}},
			},
			top: CauseDeviceClock, topConf: ConfidenceMedium,
		},
		{
			name: "no time server answered, the service says two minutes ahead",
			results: []Result{
				{ID: CheckClock, Status: StatusError, Facts: &ClockFacts{Reference: ReferenceNone},
					Findings: []Finding{find(CauseNetworkBlocked, SeverityWarn)}},
				{ID: "status", Status: StatusOK, Facts: &StatusFacts{Indicator: "none", ServerOffsetSeconds: new(121.0), ServerTimeSource: "binance"}},
			},
			top: CauseNetworkBlocked, topConf: ConfidenceMedium,
			also: CauseDeviceClock, alsoConf: ConfidenceMedium,
		},
		{
			name: "no time server answered, one server's Date header says two minutes ahead: a hint only",
			rule: "serviceClockWitness",
			results: []Result{
				{ID: CheckClock, Status: StatusError, Facts: &ClockFacts{Reference: ReferenceNone},
					Findings: []Finding{find(CauseNetworkBlocked, SeverityWarn)}},
				{ID: "status", Status: StatusOK, Facts: &StatusFacts{Indicator: "none", ServerOffsetSeconds: new(-157788000.0), ServerTimeSource: "date-header"}},
			},
			top: CauseNetworkBlocked, topConf: ConfidenceMedium,
			also: CauseDeviceClock, alsoConf: ConfidenceLow,
		},
		{
			name: "an outage of another product and a typo: the typo, the outage also going on",
			rule: "codeFindingsExplainTheCode",
			results: []Result{
				{ID: CheckCodes, Status: StatusFail, Facts: &CodesFacts{Period: new(30), Codes: 1, Typo: "digit 3 is wrong"},
					Findings: []Finding{find(CauseCodeTypo, SeverityFail)}},
				{ID: CheckStatus, Status: StatusFail, Facts: &StatusFacts{Indicator: "critical",
					Components: []ComponentFact{{Name: "Futures trading", Status: "major_outage"}, {Name: "Login", Status: "operational", Relevant: true}}},
					Findings: []Finding{find(CauseServiceOutage, SeverityFail)}},
			},
			top: CauseCodeTypo, topConf: ConfidenceHigh, other: CauseServiceOutage,
		},
		{
			name: "a code fault of a warning's weight outranks an equal fault that says nothing of the code",
			rule: "codeFindingsExplainTheCode",
			results: []Result{
				{ID: CheckStatus, Status: StatusWarn, Findings: []Finding{find(CauseTLSUntrusted, SeverityWarn)}},
				{ID: CheckCodes, Status: StatusWarn, Facts: &CodesFacts{Matched: true, Period: new(30), Codes: 1, OffsetSteps: new(int64(-1))},
					Findings: []Finding{find(CauseCodeExpired, SeverityWarn)}},
			},
			top: CauseCodeExpired, topConf: ConfidenceMedium,
		},
		{
			name: "a code valid now and a stale duplicate entry: the duplicate is another thing found",
			rule: "codeValidNow",
			results: []Result{
				clockResult(StatusOK, 0.1),
				{ID: CheckSecret, Status: StatusWarn, Facts: &SecretFacts{Readable: true}, Findings: []Finding{find(CauseDuplicateEntry, SeverityWarn)}},
				{ID: CheckCodes, Status: StatusOK, Facts: &CodesFacts{Matched: true, Period: new(30), Codes: 1, OffsetSteps: new(int64(0))}},
			},
			other: CauseDuplicateEntry,
		},
		{
			name: "an expired code at true time, this computer 2 minutes ahead: the code expired, the clock is also wrong",
			rule: "codeNotFromThisClock",
			results: []Result{
				clockResult(StatusFail, 125, find(CauseDeviceClock, SeverityFail)),
				{ID: CheckCodes, Status: StatusWarn, Facts: &CodesFacts{Matched: true, Period: new(30), Codes: 1, OffsetSteps: new(int64(-1))},
					Findings: []Finding{find(CauseCodeExpired, SeverityWarn)}},
			},
			top: CauseCodeExpired, topConf: ConfidenceMedium, other: CauseDeviceClock,
		},
		{
			name: "the key asks for SHA256 and the code matches under SHA256: the app handles it",
			rule: "matchOverridesCapability",
			env:  &Env{App: "google-authenticator"},
			results: []Result{
				clockResult(StatusOK, 0.1),
				{ID: CheckSecret, Status: StatusWarn, Findings: []Finding{find(CauseParameterMismatch, SeverityWarn)}},
				{ID: CheckCodes, Status: StatusOK, Facts: &CodesFacts{Matched: true, Period: new(30), Codes: 1, OffsetSteps: new(int64(0))}},
			},
			other: CauseParameterMismatch,
		},
		{
			name: "a SHA256 key and no app named: a hint only",
			rule: "unnamedAppIsAHint",
			results: []Result{
				{ID: CheckSecret, Status: StatusWarn, Findings: []Finding{find(CauseParameterMismatch, SeverityWarn)}},
			},
			top: CauseParameterMismatch, topConf: ConfidenceLow,
		},
		{
			name: "the phone's clock measured right, codes 3 minutes off: the app, not the phone's clock",
			rule: "phoneRightCodesOff",
			results: []Result{
				clockResult(StatusOK, 0.02),
				{ID: CheckCodes, Status: StatusFail, Facts: &CodesFacts{Matched: true, Period: new(30), Codes: 2, OffsetSteps: new(int64(6)), AuthenticatorOffsetSeconds: []float64{170, 200}},
					Findings: []Finding{find(CauseAuthenticatorClock, SeverityFail)}},
				{ID: CheckPhone, Status: StatusOK, Facts: &PhoneFacts{OffsetSeconds: new(0.3), UTCOffsetSeconds: new(3600), Method: PhoneMethodBrowser}},
			},
			top: CauseAuthenticatorClock, topConf: ConfidenceHigh,
			evidence: "The phone's own browser measured its clock right", fix: "Time correction for codes",
		},
		{
			name: "the phone an hour ahead, the computer right, codes an hour off: the phone's zone, zone first",
			rule: "phoneZoneShaped",
			env:  &Env{Platform: PlatformAndroid},
			results: []Result{
				clockResult(StatusOK, 0.02),
				codesResult(StatusFail, 3590, 3620, find(CauseAuthenticatorClock, SeverityFail)),
				{ID: CheckPhone, Status: StatusWarn, Facts: &PhoneFacts{OffsetSeconds: new(3600.4), Timezone: "Europe/Berlin", Method: PhoneMethodBrowser}},
			},
			top: CauseTimezone, topConf: ConfidenceHigh, fix: "set the time zone for where you are",
			demoted: CauseAuthenticatorClock,
		},
		{
			name: "the computer right, codes exactly 5 h 30 min behind: the phone's zone, zone first",
			rule: "codesZoneShaped",
			results: []Result{
				clockResult(StatusOK, 0.02),
				codesResult(StatusFail, -19815, -19785, find(CauseAuthenticatorClock, SeverityFail)),
			},
			top: CauseTimezone, topConf: ConfidenceHigh, fix: "set the time zone for where you are",
			demoted: CauseAuthenticatorClock,
		},
		{
			name: "the computer right, codes two days behind: the phone's clock, not a zone",
			rule: "codesZoneShaped",
			results: []Result{
				clockResult(StatusOK, 0.02),
				codesResult(StatusFail, -172815, -172785, find(CauseAuthenticatorClock, SeverityFail)),
			},
			top: CauseAuthenticatorClock, topConf: ConfidenceHigh,
		},
		{
			name: "one code of another key, searched a day: another key only possibly",
			rule: "keyIsTheSuspect",
			results: []Result{
				clockResult(StatusOK, 0.02),
				{ID: CheckCodes, Status: StatusFail, Facts: &CodesFacts{Period: new(30), Codes: 1, WindowSteps: 2880}, Findings: []Finding{find(CauseSecretMismatch, SeverityFail)}},
			},
			top: CauseSecretMismatch, topConf: ConfidenceLow,
		},
		{
			name: "two codes of another key, searched a day only: another key, not certainly",
			rule: "keyIsTheSuspect",
			results: []Result{
				clockResult(StatusOK, 0.02),
				{ID: CheckCodes, Status: StatusFail, Facts: &CodesFacts{Period: new(30), Codes: 2, WindowSteps: 2880}, Findings: []Finding{find(CauseSecretMismatch, SeverityFail)}},
			},
			top: CauseSecretMismatch, topConf: ConfidenceMedium,
		},
		{
			name: "HOTP codes not found within the look-ahead: a search limit",
			rule: "hotpBeyondLookAhead",
			results: []Result{
				{ID: CheckCodes, Status: StatusFail, Facts: &CodesFacts{Codes: 2, WindowSteps: 100}, Findings: []Finding{find(CauseSecretMismatch, SeverityFail)}},
			},
			top: CauseSecretMismatch, topConf: ConfidenceLow,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env := c.env
			if env == nil {
				env = &Env{}
			}
			all := Diagnose(c.results, env)
			d, others := SplitDiagnosis(all)
			if c.top == "" {
				if len(d) > 0 {
					t.Fatalf("causes %+v, want none", d)
				}
				d = []Diagnosis{{}}
			} else if len(d) == 0 || d[0].Cause != c.top || d[0].Confidence != c.topConf {
				t.Fatalf("top = %+v, want %s (%s)", all, c.top, c.topConf)
			}
			if c.other != "" && !slices.ContainsFunc(others, func(o Diagnosis) bool { return o.Cause == c.other }) {
				t.Errorf("%s is not among the other things found: %+v", c.other, all)
			}
			if c.evidence != "" && !strings.Contains(strings.Join(d[0].Evidence, "\n"), c.evidence) {
				t.Errorf("top evidence %q lacks %q", d[0].Evidence, c.evidence)
			}
			if c.noEvidence != "" && strings.Contains(strings.Join(d[0].Evidence, "\n"), c.noEvidence) {
				t.Errorf("top evidence %q holds %q", d[0].Evidence, c.noEvidence)
			}
			if c.fix != "" && !strings.Contains(strings.Join(d[0].Fix, "\n"), c.fix) {
				t.Errorf("top fix %q lacks %q", d[0].Fix, c.fix)
			}
			if c.also != "" {
				if got := diagnosisOf(t, all, c.also); got.Confidence != c.alsoConf {
					t.Errorf("%s: %s confidence, want %s", c.also, got.Confidence, c.alsoConf)
				}
			}
			if c.demoted != "" {
				dem := diagnosisOf(t, all, c.demoted)
				if dem.Confidence != ConfidenceLow || len(dem.Against) == 0 {
					t.Errorf("%s should be low with evidence against: %+v", c.demoted, dem)
				}
			}
		})
	}
	for _, r := range rules {
		if !slices.ContainsFunc(cases, func(c crossCase) bool {
			return c.rule == r.name
		}) {
			t.Errorf("rule %s (%s) has no case here", r.name, r.why)
		}
	}
}

// The finding that heads a cause leads its fix steps, whatever order the checks ran in.
func TestDiagnoseFixLeadsWithTheHeadingFinding(t *testing.T) {
	d := Diagnose([]Result{
		{ID: "secret", Status: StatusWarn, Findings: []Finding{{Cause: CauseParameterMismatch, Severity: SeverityWarn,
			Message: "some apps ignore SHA256", Steps: Steps("Use an app that handles SHA256.", "Shared step.")}}},
		{ID: "codes", Status: StatusFail, Findings: []Finding{{Cause: CauseParameterMismatch, Severity: SeverityFail,
			Message: "your app makes SHA1 codes", Steps: Steps("Codes must be made with SHA256; your app uses SHA1.", "Shared step.")}}},
	}, &Env{})
	want := []string{"Codes must be made with SHA256; your app uses SHA1.", "Shared step.", "Use an app that handles SHA256."}
	if len(d) != 1 || d[0].Summary != "your app makes SHA1 codes" || strings.Join(d[0].Fix, "|") != strings.Join(want, "|") {
		t.Errorf("diagnosis %+v, want the fix %q", d, want)
	}
}

// A report made without --platform or --app carries every platform's and app's steps;
// diagnosed again for one platform and app, it gives the steps a run for them gives:
// each marked only with what the platform and app leave open.
func TestDiagnoseTailorsTheSteps(t *testing.T) {
	results := []Result{{ID: CheckCodes, Status: StatusFail, Findings: []Finding{NewFinding(CauseAuthenticatorClock, SeverityFail,
		"the phone is 2 min behind", "Set the phone's clock right: it is about 2 min behind.")}}}
	const (
		first     = "Set the phone's clock right: it is about 2 min behind."
		android   = "Settings → System → Date & time"
		ios       = "Settings → General → Date & Time"
		gaSync    = "⋮ menu → Settings → Time correction for codes"
		forceQuit = "Force-close the authenticator app"
	)
	for _, c := range []struct {
		env  *Env
		want []string
	}{
		{&Env{Platform: PlatformIOS, App: "authy"}, []string{first, ios, forceQuit}},
		{&Env{Platform: PlatformAndroid, App: "google-authenticator"}, []string{first, android, gaSync, forceQuit}},
		{&Env{}, []string{first, "On Android: " + android, "On iPhone/iPad: " + ios, "On Android, in Google Authenticator: " + gaSync, forceQuit}},
		{&Env{Platform: PlatformAndroid}, []string{first, android, "Google Authenticator: " + gaSync, forceQuit}},
		{&Env{App: "google-authenticator"}, []string{first, "On Android: " + android, "On iPhone/iPad: " + ios, "On Android: " + gaSync, forceQuit}},
	} {
		got := Diagnose(results, c.env)[0].Fix
		ok := len(got) == len(c.want)
		for i := 0; ok && i < len(got); i++ {
			ok = strings.HasPrefix(got[i], c.want[i])
		}
		if !ok {
			t.Errorf("%+v: fix\n%s\nwant steps starting\n%s", c.env, strings.Join(got, "\n"), strings.Join(c.want, "\n"))
		}
	}
}
