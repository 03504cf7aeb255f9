package api_test

import (
	"testing"
)

// TestDeleteRestore: a delete hides a configuration, keeps its history in
// the deleted list (naming who deleted it), and a restore brings every
// version back; restoring over a live name is 409, restoring what was never
// deleted 404; both are audited.
func TestDeleteRestore(t *testing.T) {
	srv, base := server(t)
	ward := base.Localities[0].Teams[0].Wards[0]
	move := `{"moves":[{"ward":"` + ward + `","team":"N2"}]}`
	do(t, srv, exchange{"move", "POST", "/api/configurations/demo-baseline/moves", map[string]string{"If-Match": `"demo-baseline.v1"`}, move, 200, jsonCT, []string{`"version":2`}})
	do(t, srv, exchange{"never deleted", "POST", "/api/configurations/demo-baseline/restore", nil, "", 404, problemCT, []string{"demo-baseline"}})
	do(t, srv, exchange{"nothing deleted", "GET", "/api/deleted-configurations", nil, "", 200, jsonCT, []string{`"deleted":[]`}})
	do(t, srv, exchange{"delete", "DELETE", "/api/configurations/demo-baseline", map[string]string{"If-Match": `"demo-baseline.v2"`}, "", 204, "", nil})
	do(t, srv, exchange{"gone", "GET", "/api/configurations/demo-baseline", nil, "", 404, problemCT, nil})
	do(t, srv, exchange{"gone from the list", "GET", "/api/configurations", nil, "", 200, jsonCT, nil})
	do(t, srv, exchange{"kept", "GET", "/api/deleted-configurations", nil, "", 200, jsonCT,
		[]string{`"name":"demo-baseline"`, `"latest_version":2`, `"versions":2`, `"deleted_by":"local"`}})
	resp, _ := do(t, srv, exchange{"restore", "POST", "/api/configurations/demo-baseline/restore", nil, "", 201, jsonCT, []string{`"version":2`}})
	if got := resp.Header.Get("ETag"); got != `"demo-baseline.v2"` {
		t.Errorf("restore ETag %q", got)
	}
	do(t, srv, exchange{"back with its history", "GET", "/api/configurations/demo-baseline/versions", nil, "", 200, jsonCT, []string{`"version":1`, `"version":2`}})
	do(t, srv, exchange{"back at its latest", "GET", "/api/configurations/demo-baseline", nil, "", 200, jsonCT, []string{`"version":2`, `"` + ward + `"`}})
	do(t, srv, exchange{"tombstone used", "GET", "/api/deleted-configurations", nil, "", 200, jsonCT, []string{`"deleted":[]`}})

	// Deleted, then a new configuration of that name: the old one cannot
	// come back over it.
	_, csv := do(t, srv, exchange{"export", "GET", "/api/configurations/demo-baseline/export", nil, "", 200, "text/csv", nil})
	do(t, srv, exchange{"delete again", "DELETE", "/api/configurations/demo-baseline", map[string]string{"If-Match": `"demo-baseline.v2"`}, "", 204, "", nil})
	do(t, srv, exchange{"new of the name", "POST", "/api/configurations?name=demo-baseline", map[string]string{"Content-Type": "text/csv"}, csv, 201, jsonCT, []string{`"version":3`}})
	do(t, srv, exchange{"restore over it", "POST", "/api/configurations/demo-baseline/restore", nil, "", 409, problemCT, []string{"exists now"}})
	do(t, srv, exchange{"still kept", "GET", "/api/deleted-configurations", nil, "", 200, jsonCT, []string{`"latest_version":2`}})
	do(t, srv, exchange{"audit", "GET", "/api/audit?target=demo-baseline", nil, "", 200, jsonCT, []string{`"action":"configuration.restore"`, `"action":"configuration.delete"`}})
}
