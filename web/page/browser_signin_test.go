package page_test

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestMapPageSignIn serves the demo city with tokens required and opens the
// page as a viewer and as an editor: without a token it asks for one (and
// shows no data); signed in, the map's tiles load with the token, and a
// viewer sees no edit panel and cannot run siting (told why) while an
// editor can.
func TestMapPageSignIn(t *testing.T) {
	env := setupBrowser(t)
	db := filepath.Join(t.TempDir(), "demo.db")
	if msg, err := exec.Command(env.bin, "demo", "--db", db).CombinedOutput(); err != nil {
		t.Fatalf("demo: %v\n%s", err, msg)
	}
	token := func(name, role string) string {
		out, err := exec.Command(env.bin, "token", "create", "--db", db, "--name", name, "--role", role).Output()
		if err != nil {
			t.Fatalf("token create %s: %v", role, err)
		}
		secret, _, _ := strings.Cut(string(out), "\n")
		if !strings.HasPrefix(secret, "pt_") {
			t.Fatalf("token create printed %q", out)
		}
		return secret
	}
	viewer, editor := token("ann", "viewer"), token("bob", "editor")
	base := startServer(t, env.bin, env.root, db)

	t.Setenv("PLACETEAM_VIEWER_TOKEN", viewer)
	t.Setenv("PLACETEAM_EDITOR_TOKEN", editor)
	type seen struct {
		Before struct {
			Signin  bool   `json:"signin"`
			Who     string `json:"who"`
			Profile bool   `json:"profile"`
		} `json:"before"`
		Tiles           []int  `json:"tiles"`
		Role            string `json:"role"`
		Who             string `json:"who"`
		SigninHidden    bool   `json:"signinHidden"`
		EditHidden      bool   `json:"editHidden"`
		SiteRunDisabled bool   `json:"siteRunDisabled"`
		SiteNoteHidden  bool   `json:"siteNoteHidden"`
		SiteSaveHidden  bool   `json:"siteSaveHidden"`
	}
	var res struct {
		Viewer seen     `json:"viewer"`
		Editor seen     `json:"editor"`
		Errors []string `json:"errors"`
	}
	env.run(t, "signin.mjs", base, &res)
	if len(res.Errors) > 0 {
		t.Errorf("page errors: %v", res.Errors)
	}
	for role, s := range map[string]seen{"viewer": res.Viewer, "editor": res.Editor} {
		if !s.Before.Signin || s.Before.Profile || !strings.Contains(s.Before.Who, "not signed in") {
			t.Errorf("%s before signing in: form %v, data shown %v, who %q", role, s.Before.Signin, s.Before.Profile, s.Before.Who)
		}
		if s.Role != role || !strings.Contains(s.Who, "("+role+")") || !s.SigninHidden {
			t.Errorf("%s signed in as %q (%q), form hidden %v", role, s.Role, s.Who, s.SigninHidden)
		}
		ok := 0
		for _, st := range s.Tiles {
			if st == 200 {
				ok++
			} else if st != 204 && st != 304 {
				t.Errorf("%s: a tile answered %d", role, st)
			}
		}
		if ok == 0 {
			t.Errorf("%s: no tile loaded (%v)", role, s.Tiles)
		}
	}
	if v := res.Viewer; !v.EditHidden || !v.SiteRunDisabled || v.SiteNoteHidden || !v.SiteSaveHidden {
		t.Errorf("viewer: edit hidden %v, siting run disabled %v, told why %v, save hidden %v", v.EditHidden, v.SiteRunDisabled, !v.SiteNoteHidden, v.SiteSaveHidden)
	}
	if e := res.Editor; e.EditHidden || e.SiteRunDisabled || !e.SiteNoteHidden || e.SiteSaveHidden {
		t.Errorf("editor: edit hidden %v, siting run disabled %v, note shown %v, save hidden %v", e.EditHidden, e.SiteRunDisabled, !e.SiteNoteHidden, e.SiteSaveHidden)
	}
}
