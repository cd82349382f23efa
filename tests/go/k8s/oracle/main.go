// The authenticator oracle: the Kubernetes code itself judges a token, as kube-apiserver would.
//
// It reads cases, one JSON object per line on stdin, and answers one JSON object per line on
// stdout. A case is an API server configuration (its legacy --oidc-* flags, or an
// AuthenticationConfiguration file) and a token's header algorithm and claims (the exact
// payload text); the oracle signs the token with a key of its own and judges it with:
//   - the option parsing, validation and conversion kube-apiserver runs at start
//     (k8s.io/kubernetes/pkg/kubeapiserver/options: AddFlags, Validate, ToAuthenticationConfig,
//     which loads the file and runs apiserver validation and its CEL compilation);
//   - the JWT authenticator (k8s.io/apiserver/plugin/pkg/authenticator/token/oidc), one per
//     jwt entry, built as kube-apiserver builds them (pkg/kubeapiserver/authenticator:
//     newJWTAuthenticator), given the oracle's keys instead of a JWKS fetched from the issuer;
//   - the request path kube-apiserver puts them on: the bearer token (request/bearertoken), their
//     union (token/union.NewFailOnError), and the group every authenticated user gets
//     (group.NewAuthenticatedGroupAdder).
//
// Its verdict: "refused" (the API server would not start: the error), "rejected" (the token is
// refused: the error), or "accepted" (the user: username, uid, groups, extra). The clock is the
// machine's: the oidc package does not let it be set.
//
// Case:   {"id": "...", "flags": ["--oidc-issuer-url=...", ...] | "config": "<yaml>",
//
//	"alg": "RS256", "kid": "k1", "claims": "<payload JSON text>"}
//
// Answer: {"id": "...", "token": "<the signed JWT>", "verdict": "...", "error": "...",
//
//	"user": {"username": ..., "uid": ..., "groups": [...], "extra": {...}}}
package main

import (
	"bufio"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/pflag"
	jose "gopkg.in/go-jose/go-jose.v2"

	utilerrors "k8s.io/apimachinery/pkg/util/errors"
	"k8s.io/apiserver/pkg/authentication/authenticator"
	"k8s.io/apiserver/pkg/authentication/group"
	"k8s.io/apiserver/pkg/authentication/request/bearertoken"
	tokenunion "k8s.io/apiserver/pkg/authentication/token/union"
	"k8s.io/apiserver/plugin/pkg/authenticator/token/oidc"
	"k8s.io/kubernetes/pkg/kubeapiserver/options"
)

type kase struct {
	ID     string   `json:"id"`
	Flags  []string `json:"flags"`
	Config *string  `json:"config"`
	// Service-account issuers, as --service-account-issuer.
	SAIssuers []string `json:"sa_issuers"`
	Alg       string   `json:"alg"`
	Kid       string   `json:"kid"`
	Claims    string   `json:"claims"`
}

type user struct {
	Username string              `json:"username"`
	UID      string              `json:"uid"`
	Groups   []string            `json:"groups"`
	Extra    map[string][]string `json:"extra"`
}

type answer struct {
	ID      string `json:"id"`
	Token   string `json:"token"`
	Verdict string `json:"verdict"`
	Error   string `json:"error,omitempty"`
	// The errors an aggregate error holds (validation's field errors), each alone.
	Errors []string `json:"errors,omitempty"`
	User   *user    `json:"user,omitempty"`
}

// parts are the errors an aggregate holds (in err's chain), each alone.
func parts(err error) []string {
	var agg utilerrors.Aggregate
	if !errors.As(err, &agg) {
		return nil
	}
	var out []string
	for _, e := range agg.Errors() {
		out = append(out, e.Error())
	}
	return out
}

// The oracle's signing keys, one per algorithm family.
type keys struct {
	rsa   *rsa.PrivateKey
	p256  *ecdsa.PrivateKey
	p384  *ecdsa.PrivateKey
	p521  *ecdsa.PrivateKey
	ed    ed25519.PrivateKey
	edPub ed25519.PublicKey
}

func newKeys() (*keys, error) {
	k := &keys{}
	var err error
	if k.rsa, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
		return nil, err
	}
	if k.p256, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); err != nil {
		return nil, err
	}
	if k.p384, err = ecdsa.GenerateKey(elliptic.P384(), rand.Reader); err != nil {
		return nil, err
	}
	if k.p521, err = ecdsa.GenerateKey(elliptic.P521(), rand.Reader); err != nil {
		return nil, err
	}
	if k.edPub, k.ed, err = ed25519.GenerateKey(rand.Reader); err != nil {
		return nil, err
	}
	return k, nil
}

func (k *keys) private(alg string) (crypto.Signer, error) {
	switch {
	case strings.HasPrefix(alg, "RS"), strings.HasPrefix(alg, "PS"):
		return k.rsa, nil
	case alg == "ES256":
		return k.p256, nil
	case alg == "ES384":
		return k.p384, nil
	case alg == "ES512":
		return k.p521, nil
	case alg == "EdDSA":
		return k.ed, nil
	}
	return nil, fmt.Errorf("no key for alg %q", alg)
}

// sign makes the compact JWT of exactly these payload bytes.
func (k *keys) sign(alg, kid, payload string) (string, error) {
	key, err := k.private(alg)
	if err != nil {
		return "", err
	}
	opts := (&jose.SignerOptions{}).WithType("JWT")
	if kid != "" {
		opts = opts.WithHeader("kid", kid)
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.SignatureAlgorithm(alg), Key: key}, opts)
	if err != nil {
		return "", err
	}
	jws, err := signer.Sign([]byte(payload))
	if err != nil {
		return "", err
	}
	return jws.CompactSerialize()
}

// VerifySignature: the oidc.KeySet the authenticator is given instead of the issuer's JWKS.
func (k *keys) VerifySignature(_ context.Context, token string) ([]byte, error) {
	jws, err := jose.ParseSigned(token)
	if err != nil {
		return nil, fmt.Errorf("oidc: malformed jwt: %v", err)
	}
	for _, pub := range []interface{}{k.rsa.Public(), k.p256.Public(), k.p384.Public(), k.p521.Public(), k.edPub} {
		if payload, err := jws.Verify(pub); err == nil {
			return payload, nil
		}
	}
	return nil, fmt.Errorf("failed to verify signature: no key verifies it")
}

// judge is one case: kube-apiserver's start, then the token through its authenticators.
func judge(ctx context.Context, k *keys, dir string, c kase) answer {
	a := answer{ID: c.ID}
	token, err := k.sign(c.Alg, c.Kid, c.Claims)
	if err != nil {
		a.Verdict, a.Error = "error", err.Error()
		return a
	}
	a.Token = token

	o := options.NewBuiltInAuthenticationOptions().WithOIDC()
	fs := pflag.NewFlagSet("kube-apiserver", pflag.ContinueOnError)
	fs.SetOutput(new(strings.Builder))
	o.AddFlags(fs)
	args := append([]string(nil), c.Flags...)
	if c.Config != nil {
		file := filepath.Join(dir, c.ID+".yaml")
		if err := os.WriteFile(file, []byte(*c.Config), 0o600); err != nil {
			a.Verdict, a.Error = "error", err.Error()
			return a
		}
		args = append(args, "--authentication-config="+file)
	}
	if err := fs.Parse(args); err != nil {
		a.Verdict, a.Error = "refused", err.Error()
		return a
	}
	if errs := o.Validate(); len(errs) > 0 {
		msgs := make([]string, len(errs))
		for i, e := range errs {
			msgs[i] = e.Error()
		}
		a.Verdict, a.Error = "refused", strings.Join(msgs, "; ")
		return a
	}
	config, err := o.ToAuthenticationConfig()
	if err != nil {
		a.Verdict, a.Error, a.Errors = "refused", err.Error(), parts(err)
		return a
	}
	// What --service-account-issuer sets (the service-account options themselves need key
	// files this oracle has no use for): the issuers no JWT authenticator may have.
	config.ServiceAccountIssuers = c.SAIssuers
	// As newJWTAuthenticator builds them, with the oracle's keys as each one's key set.
	var jwts []authenticator.Token
	for _, j := range config.AuthenticationConfig.JWT {
		j.Issuer.DiscoveryURL = "" // the key set stands in for discovery
		auth, err := oidc.New(ctx, oidc.Options{
			JWTAuthenticator:     j,
			KeySet:               k,
			SupportedSigningAlgs: config.OIDCSigningAlgs,
			DisallowedIssuers:    config.ServiceAccountIssuers,
		})
		if err != nil {
			a.Verdict, a.Error = "refused", err.Error()
			return a
		}
		jwts = append(jwts, auth)
	}
	// The request path: the bearer token, the union of the JWT authenticators, and the group
	// every authenticated user gets, as kube-apiserver chains them.
	chain := group.NewAuthenticatedGroupAdder(bearertoken.New(tokenunion.NewFailOnError(jwts...)))
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "https://kube-apiserver/api", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, ok, err := chain.AuthenticateRequest(req)
	if err != nil {
		a.Verdict, a.Error = "rejected", err.Error()
		return a
	}
	if !ok {
		a.Verdict, a.Error = "rejected", "no authenticator accepted the token"
		return a
	}
	u := resp.User
	a.Verdict = "accepted"
	a.User = &user{Username: u.GetName(), UID: u.GetUID(), Groups: u.GetGroups(), Extra: u.GetExtra()}
	if a.User.Groups == nil {
		a.User.Groups = []string{}
	}
	if a.User.Extra == nil {
		a.User.Extra = map[string][]string{}
	}
	return a
}

func main() {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	k, err := newKeys()
	if err != nil {
		fmt.Fprintln(os.Stderr, "authn-oracle:", err)
		os.Exit(1)
	}
	dir, err := os.MkdirTemp("", "authn-oracle")
	if err != nil {
		fmt.Fprintln(os.Stderr, "authn-oracle:", err)
		os.Exit(1)
	}
	defer os.RemoveAll(dir)
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 16<<20)
	out := json.NewEncoder(os.Stdout)
	for in.Scan() {
		var c kase
		if err := json.Unmarshal(in.Bytes(), &c); err != nil {
			fmt.Fprintln(os.Stderr, "authn-oracle: a case that is not JSON:", err)
			os.Exit(1)
		}
		if err := out.Encode(judge(ctx, k, dir, c)); err != nil {
			os.Exit(1)
		}
	}
}
