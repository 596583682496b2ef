package main

import (
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/otpdoctor/otpdoctor/checks/status"
	"github.com/otpdoctor/otpdoctor/diag"
	"github.com/otpdoctor/otpdoctor/internal/web"
	"github.com/otpdoctor/otpdoctor/profile"
)

func init() { registerCommand("status", newStatusCmd) }

// noStatusHint says what runs the status check; the skipped check and `status` share it.
const noStatusHint = "give --service ID of a service with a status page, or --status-url URL"

// namedService is the service --service names, or nil when none (or generic) is.
func (a *app) namedService() *profile.Profile {
	if a.service == nil || a.service.ID == profile.GenericID {
		return nil
	}
	return a.service
}

// statusPart is the status check as `check` and `status` see it.
type statusPart struct {
	url  string
	kind string
}

func (p *statusPart) addFlags(fs *pflag.FlagSet) {
	fs.StringVar(&p.url, "status-url", "", "probe this `URL`: a Statuspage, the Binance or Kraken status API, or any HTTPS address")
	fs.StringVar(&p.kind, "status-kind", status.KindAuto, "the `KIND` of API at the status URL: "+strings.Join(status.Kinds, ", ")+" (auto: recognised from the answer)")
}

func (p *statusPart) build(a *app) (diag.Check, error) {
	if err := checkOneOf("--status-kind", p.kind, status.Kinds); err != nil {
		return nil, err
	}
	if p.url != "" {
		if err := checkURLFlag("--status-url", p.url, "https://status.example.com"); err != nil {
			return nil, err
		}
	}
	c := &status.Check{UserAgent: web.UserAgent(toolVersion())}
	if s := a.namedService(); s != nil {
		c.Service, c.Links, c.TimeAPI = s.Name, s.Links, s.TimeAPI
		if s.Status != nil {
			c.Endpoint = *s.Status
		}
	}
	switch {
	case p.url != "":
		c.Endpoint = profile.Endpoint{URL: p.url, Kind: p.kind}
	case p.kind != status.KindAuto:
		c.Endpoint.Kind = p.kind
	}
	skip := func(reason string) (diag.Check, error) {
		return diag.Skipped{CheckID: status.ID, CheckTitle: status.Title, Reason: reason}, nil
	}
	switch {
	case c.Endpoint.URL == "" && c.Service != "":
		return skip(c.Service + " publishes no status otpdoctor reads: give --status-url URL to check one")
	case c.Endpoint.URL == "":
		return skip(noStatusHint)
	case a.opts.offline:
		return skip("--offline uses no network; run without it to ask the service")
	}
	return c, nil
}

func newStatusCmd(a *app) *cobra.Command {
	p := &statusPart{}
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Check the service itself: down, in maintenance, blocked, or refusing this computer's clock",
		Long: `Check the service you are locked out of, from this computer.

It reads the service's status (an Atlassian Statuspage, the Binance or Kraken status
API) for incidents and maintenance, paying most attention to sign-in, two-factor and
the API. For any other address it checks that the service can be reached, timing DNS,
connection, TLS and the answer. It reads the service's clock (its time API or the
Date header): the service is the one that judges your codes, so its clock is the one
that counts. And it explains failures: blocked by DNS, a firewall, a proxy or the
service's own firewall (a VPN or your region), rate limits, outages, secure
connections refused because this computer's clock is wrong, or intercepted by
antivirus or a company proxy.

It runs with --service ID for a service with a status endpoint ('otpdoctor services'
lists them), or with --status-url. http:// is accepted only for this machine.
HTTPS_PROXY and NO_PROXY are honoured; certificates are always verified.`,
		Example: `  otpdoctor status --service binance
  otpdoctor status --service github -v
  otpdoctor status --status-url https://status.example.com
  otpdoctor status --status-url https://api.example.com/health --status-kind http
  otpdoctor status --service kraken --format json --timeout 5s`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			check, err := p.build(a)
			if err != nil {
				return err
			}
			if _, skipped := check.(diag.Skipped); skipped && !a.opts.offline {
				if s := a.namedService(); s != nil {
					return usagef("give --status-url URL of its status page", "%s publishes no status otpdoctor reads", s.Name)
				}
				return usagef(noStatusHint, "no status endpoint to check")
			}
			return a.runChecks(c.Context(), "status", []diag.Check{check})
		},
	}
	p.addFlags(cmd.Flags())
	return cmd
}
