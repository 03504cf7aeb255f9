package planning

import "errors"

// ErrNoRole is wrapped when an identity is proven (an OIDC token that
// verifies) but carries no placeteam role: signing in again will not help;
// the identity provider must grant one.
var ErrNoRole = errors.New("no placeteam role")
