package status

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/otpdoctor/otpdoctor/diag"
	"github.com/otpdoctor/otpdoctor/internal/web"
)

func tlsFactsOf(chain []*x509.Certificate, version uint16) *diag.TLSFacts {
	if len(chain) == 0 {
		return nil
	}
	leaf := chain[0]
	f := &diag.TLSFacts{
		Subject:   describeName(leaf.Subject),
		Issuer:    describeName(leaf.Issuer),
		NotBefore: leaf.NotBefore.UTC().Format(time.RFC3339),
		NotAfter:  leaf.NotAfter.UTC().Format(time.RFC3339),
	}
	if version != 0 {
		f.Version = tls.VersionName(version)
	}
	return f
}

// describeName is a certificate name as a person recognises it: its common name, and
// its organisation when that says more ("Web Shield CA (Contoso Antivirus)").
func describeName(n pkix.Name) string {
	name := n.CommonName
	org := strings.Join(n.Organization, ", ")
	switch {
	case name == "" && org == "":
		return fmt.Sprintf("%q", n.String())
	case name == "":
		return fmt.Sprintf("%q", org)
	case org == "" || strings.Contains(name, org):
		return fmt.Sprintf("%q", name)
	}
	return fmt.Sprintf("%q (%s)", name, org)
}

// presentedIssuer is the issuer of the topmost certificate the server sent, the one
// whose authority is unknown: with an intercepting proxy, the proxy's own CA.
func presentedIssuer(chain []*x509.Certificate, unknown *x509.Certificate) pkix.Name {
	if unknown != nil {
		return unknown.Issuer
	}
	return chain[len(chain)-1].Issuer
}

// validInstant is an instant at which every certificate of chain is within its dates
// (the middle of their common span); false when there is none.
func validInstant(chain []*x509.Certificate) (time.Time, bool) {
	if len(chain) == 0 {
		return time.Time{}, false
	}
	from, until := chain[0].NotBefore, chain[0].NotAfter
	for _, c := range chain[1:] {
		if c.NotBefore.After(from) {
			from = c.NotBefore
		}
		if c.NotAfter.Before(until) {
			until = c.NotAfter
		}
	}
	if !from.Before(until) {
		return time.Time{}, false
	}
	return from.Add(until.Sub(from) / 2), true
}

// verifyAt verifies chain for host against roots (nil: the system's) as at instant at.
func verifyAt(chain []*x509.Certificate, host string, roots *x509.CertPool, at time.Time) error {
	intermediates := x509.NewCertPool()
	for _, c := range chain[1:] {
		intermediates.AddCert(c)
	}
	_, err := chain[0].Verify(x509.VerifyOptions{Roots: roots, Intermediates: intermediates, DNSName: host, CurrentTime: at})
	return err
}

// certTimeVerdict is the judgement on a chain refused as expired or not yet valid.
type certTimeVerdict struct {
	failure failure
	offset  *Offset // this machine against the service's Date, when it was read
	atDate  *bool
	atTrue  *bool
	details []string
}

// judgeCertTime tells a wrong clock from a certificate really out of date. It verifies
// the chain again at the service's own Date and at the run's reference time (the
// clock check's NTP consensus); a chain that passes there was refused only because this
// machine's clock is wrong.
//
// The service's Date comes from a second request, because a refused handshake carries
// no time (TLS 1.3 has no time field, and TLS 1.2 servers fill theirs with random
// bytes). That request still verifies the chain in full: roots, signatures and host
// name, as at an instant inside the validity of the certificates the service just
// presented, instead of this machine's doubtful "now". So verification is never off;
// only the clock it uses is replaced, and the answer is used for its Date alone.
func (c *Check) judgeCertTime(ctx context.Context, env *diag.Env, u *url.URL, e *tls.CertificateVerificationError, refused *x509.Certificate) certTimeVerdict {
	host, name := u.Host, u.Hostname() // host as messages say it, name as certificates do
	chain := e.UnverifiedCertificates
	localNow := env.Now()
	var v certTimeVerdict
	var serverNow time.Time
	if instant, ok := validInstant(chain); ok {
		ex := fetch(ctx, c.client(env, func() time.Time { return instant }), env.Now, u)
		if st, err := dateHeader(ex.header); ex.header != nil && err == nil {
			off := offsetOf(ex.wrote, ex.answered, st)
			v.offset, serverNow = &off, st.At
			v.atDate = verdict(verifyAt(chain, name, c.Roots, st.At))
			v.details = append(v.details, fmt.Sprintf("%s's Date header reads %s; the chain %s at that time.", host, st.At.Format(time.RFC3339), passes(*v.atDate)))
		} else {
			v.details = append(v.details, fmt.Sprintf("could not read %s's Date to check the certificate at the service's time: %s", host, web.RedactError(firstErr(ex.err, err))))
		}
	}
	ref := env.TrueTime.Wait(ctx)
	if ref.Known() {
		trueNow := ref.True(localNow)
		v.atTrue = verdict(verifyAt(chain, name, c.Roots, trueNow))
		v.details = append(v.details, fmt.Sprintf("By %s it is %s; the chain %s at that time.", referenceName(ref.Source), trueNow.Format(time.RFC3339), passes(*v.atTrue)))
	}

	validity := fmt.Sprintf("its certificate is valid from %s to %s", day(refused.NotBefore), day(refused.NotAfter))
	if refused != chain[0] {
		validity = fmt.Sprintf("the certificate %s in its chain is valid from %s to %s", describeName(refused.Subject), day(refused.NotBefore), day(refused.NotAfter))
	}
	var clockWrong *bool
	var clockError time.Duration
	var judge string
	switch {
	case v.atTrue != nil:
		clockWrong, clockError, judge = v.atTrue, ref.Offset, referenceName(ref.Source)
	case v.atDate != nil:
		clockWrong, clockError, judge = v.atDate, v.offset.Estimate, host+"'s own clock"
	}
	switch {
	case clockWrong == nil:
		least := localNow.Sub(refused.NotAfter)
		if localNow.Before(refused.NotBefore) {
			least = localNow.Sub(refused.NotBefore)
		}
		v.failure = failure{code: FailTLSClock, cause: diag.CauseTLSClock, severity: diag.SeverityWarn,
			message: fmt.Sprintf("Secure connections to %s fail: its certificate is refused as %s at this computer's time (%s; %s). Either this clock is at least %s true time, or the certificate is out of date; otpdoctor could not read the true time to tell which.",
				host, expiredOrEarly(localNow, refused), stamp(localNow), validity, describeOffset(least)),
			steps: []string{"Compare this computer's clock with your phone's; if they differ, set this computer's clock right."}}
	case *clockWrong:
		v.failure = failure{code: FailTLSClock, cause: diag.CauseTLSClock, severity: diag.SeverityFail,
			message: fmt.Sprintf("Secure connections to %s fail because this computer's clock is wrong: it reads %s, %s %s, and %s.",
				host, stamp(localNow), describeOffset(clockError), judge, validity),
			steps: []string{fmt.Sprintf("Set this computer's clock right (it is %s %s), then run otpdoctor again.", describeOffset(clockError), judge)}}
	default:
		now := serverNow
		if v.atTrue != nil {
			now = ref.True(localNow)
		}
		message := fmt.Sprintf("%s's certificate is %s: it is %s by %s, and %s. The fault is the service's, not this computer's clock.",
			host, expiredOrEarly(now, refused), stamp(now), judge, validity)
		if v.atDate != nil && *v.atDate {
			message += fmt.Sprintf(" The service's own clock is %s true time, which hides the problem from it.", describeOffset(serverNow.Sub(now)))
		}
		v.failure = failure{code: FailTLSExpired, cause: diag.CauseServiceOutage, severity: diag.SeverityFail,
			message: message,
			steps:   []string{"Do not click through a browser's certificate warning for this site; wait for the service to renew its certificate."}}
	}
	return v
}

func expiredOrEarly(now time.Time, c *x509.Certificate) string {
	if now.Before(c.NotBefore) {
		return "not yet valid"
	}
	return "out of date (expired)"
}

// referenceName is a diag.Reference source as a person reads it.
func referenceName(source string) string {
	switch source {
	case diag.ReferenceNTP:
		return "the time servers (NTP)"
	case diag.ReferenceHTTPSDate:
		return "the clocks of well-known web sites"
	}
	return "the " + source + " reference"
}

func verdict(err error) *bool {
	ok := err == nil
	return &ok
}

func passes(ok bool) string {
	if ok {
		return "verifies"
	}
	return "does not verify"
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func day(t time.Time) string   { return t.UTC().Format("2006-01-02") }
func stamp(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }
