// Package oidctest runs an OpenID Connect issuer on loopback for tests,
// as net/http/httptest runs servers: a discovery document, a JWKS and
// tokens signed with its RSA key.
package oidctest

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// Issuer is a running test issuer.
type Issuer struct {
	// URL is the issuer URL (the iss of its tokens).
	URL string
	key *rsa.PrivateKey
}

// NewIssuer starts an issuer, closed when t ends.
func NewIssuer(t testing.TB) *Issuer {
	t.Helper()
	key := NewKey(t)
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	iss := &Issuer{URL: srv.URL, key: key}
	mux.HandleFunc("GET /.well-known/openid-configuration", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{
			"issuer":                                iss.URL,
			"jwks_uri":                              iss.URL + "/keys",
			"authorization_endpoint":                iss.URL + "/auth",
			"token_endpoint":                        iss.URL + "/token",
			"response_types_supported":              []string{"code"},
			"subject_types_supported":               []string{"public"},
			"id_token_signing_alg_values_supported": []string{"RS256"},
		})
	})
	mux.HandleFunc("GET /keys", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{
			{Key: &key.PublicKey, KeyID: "test-key", Algorithm: string(jose.RS256), Use: "sig"},
		}})
	})
	return iss
}

// NewKey is a fresh RSA key (to sign tokens the issuer does not know).
func NewKey(t testing.TB) *rsa.PrivateKey {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	return key
}

// Claims are a token's claims; Extra holds the rest (email, roles).
type Claims struct {
	Issuer   string // default the issuer's URL
	Subject  string
	Audience string
	Expiry   time.Time // default an hour from now
	Extra    map[string]any
}

// Token signs claims with the issuer's key.
func (iss *Issuer) Token(t testing.TB, c Claims) string {
	t.Helper()
	return iss.TokenWithKey(t, iss.key, c)
}

// TokenWithKey signs claims with key, under the issuer's key id.
func (iss *Issuer) TokenWithKey(t testing.TB, key *rsa.PrivateKey, c Claims) string {
	t.Helper()
	if c.Issuer == "" {
		c.Issuer = iss.URL
	}
	if c.Expiry.IsZero() {
		c.Expiry = time.Now().Add(time.Hour)
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: key, KeyID: "test-key"}},
		(&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		t.Fatal(err)
	}
	std := jwt.Claims{
		Issuer:   c.Issuer,
		Subject:  c.Subject,
		Audience: jwt.Audience{c.Audience},
		Expiry:   jwt.NewNumericDate(c.Expiry),
		IssuedAt: jwt.NewNumericDate(c.Expiry.Add(-2 * time.Hour)),
	}
	raw, err := jwt.Signed(signer).Claims(std).Claims(c.Extra).Serialize()
	if err != nil {
		t.Fatal(err)
	}
	return raw
}
