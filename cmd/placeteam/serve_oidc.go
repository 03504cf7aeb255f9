package main

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/placeteam/placeteam/web/oidc"
)

// oidcFlags are serve's flags for bearer tokens from an identity provider.
type oidcFlags struct {
	issuer, audience, roleClaim, nameClaim string
	roleMap                                []string
}

func (o *oidcFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&o.issuer, "oidc-issuer", "", "accept OpenID Connect bearer tokens (JWTs) from this issuer URL, beside placeteam tokens; its discovery document is fetched at start")
	cmd.Flags().StringVar(&o.audience, "oidc-audience", "", "the client id OIDC tokens must be issued for (their aud claim); needed with --oidc-issuer")
	cmd.Flags().StringVar(&o.roleClaim, "oidc-role-claim", oidc.DefaultRoleClaim, "the claim holding the role: a string or a list (e.g. groups)")
	cmd.Flags().StringSliceVar(&o.roleMap, "oidc-role-map", nil, "VALUE=ROLE: a claim value and the role it grants (viewer, editor, admin), repeatable; without it claim values that are role names are the roles")
	cmd.Flags().StringVar(&o.nameClaim, "oidc-name-claim", oidc.DefaultNameClaim, "the claim naming the person in versions and the audit trail (the token's sub when absent)")
}

// verifier is the OIDC verifier the flags ask for (nil without
// --oidc-issuer).
func (o *oidcFlags) verifier(ctx context.Context) (*oidc.Verifier, error) {
	if o.issuer == "" {
		if o.audience != "" || len(o.roleMap) > 0 {
			return nil, fmt.Errorf("serve: --oidc-audience and --oidc-role-map need --oidc-issuer")
		}
		return nil, nil
	}
	if o.audience == "" {
		return nil, fmt.Errorf("serve: --oidc-issuer needs --oidc-audience (the client id its tokens are issued for)")
	}
	roles, err := oidc.ParseRoleMap(o.roleMap)
	if err != nil {
		return nil, fmt.Errorf("serve: --oidc-role-map: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	v, err := oidc.New(ctx, oidc.Config{Issuer: o.issuer, Audience: o.audience, RoleClaim: o.roleClaim, RoleMap: roles, NameClaim: o.nameClaim})
	if err != nil {
		return nil, fmt.Errorf("serve: %w", err)
	}
	return v, nil
}
