package zato

// Conformance of the emulator to Zato 3.2. Every row's expected HTTP status,
// status and codes cite the vendor line they come from, in
// zatosource/zato branch support/3.2 (ae9eb4cf), paths under code/:
//
//	svc/ = zato-server/src/zato/server/service/internal/sso/
//	sso/ = zato-sso/src/zato/sso/
//	cli/ = zato-cli/src/zato/cli/
//	chn  = zato-server/src/zato/server/connection/http_soap/channel.py

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"
)

// zatoRow is one call and what Zato 3.2 answers it.
type zatoRow struct {
	name string
	// as is who logs in first: "" the super-user, "alice" a regular user,
	// "none" nobody (the row's body carries what it needs).
	as     string
	setup  func(e *Emulator)
	method string
	path   string
	body   map[string]any
	// wantHTTP and wantStatus are the HTTP status and the answer's status
	// ("" for the 400/500 wrapper, which has none); wantCodes its sub_status.
	wantHTTP   int
	wantStatus string
	wantCodes  []string
	check      func(t *testing.T, e *Emulator, a answer)
}

func runZatoRows(t *testing.T, rows []zatoRow) {
	t.Helper()
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			e, srv := newServer(t)
			if r.setup != nil {
				r.setup(e)
			}
			body := map[string]any{"current_app": TestCurrentApp}
			switch r.as {
			case "":
				body["ust"] = login(t, srv, TestUsername, TestPassword)
			case "alice":
				body["ust"] = login(t, srv, AliceUsername, AlicePassword)
			}
			for k, v := range r.body {
				if v == nil {
					delete(body, k)
					continue
				}
				body[k] = v
			}
			a := call(t, srv, r.method, r.path, body)
			if a.status != r.wantHTTP {
				t.Fatalf("HTTP %d, want %d: %s", a.status, r.wantHTTP, a.raw)
			}
			if r.wantStatus == "" {
				// The channel's wrapper: {"result": "Error", "cid", "details"} (chn:122-140).
				if a.body["result"] != "Error" || a.body["cid"] == "" || a.body["details"] == "" || a.body["status"] != nil {
					t.Fatalf("not Zato's error wrapper: %s", a.raw)
				}
			} else if a.body["status"] != r.wantStatus || a.body["cid"] == "" || !slices.Equal(a.subStatus(), r.wantCodes) {
				t.Fatalf("status %v %v, want %s %v: %s", a.body["status"], a.subStatus(), r.wantStatus, r.wantCodes, a.raw)
			}
			if r.check != nil {
				r.check(t, e, a)
			}
		})
	}
}

// none is an empty sub_status, as sent on success (svc/__init__.py:69-76).
var none = []string{}

func TestZatoConformance_login(t *testing.T) {
	post := func(name, user, pw, app string, http int, status string, codes []string) zatoRow {
		return zatoRow{name: name, as: "none", method: "POST", path: "/zato/sso/user/login",
			body: map[string]any{"username": user, "password": pw, "current_app": app}, wantHTTP: http, wantStatus: status, wantCodes: codes}
	}
	expiring := func(e *Emulator) {
		e.AddUser(User{Username: "dora", Password: "Dora-Pass-8812", PasswordExpiry: t0.AddDate(0, 0, 10)})
	}
	expired := func(e *Emulator) {
		e.AddUser(User{Username: "dora", Password: "Dora-Pass-8812", PasswordExpiry: t0.Add(-time.Second)})
	}
	inactive := func(e *Emulator) { e.AddUser(User{Username: "dora", Password: "Dora-Pass-8812", Inactive: true}) }
	rows := []zatoRow{
		post("super-user", TestUsername, TestPassword, TestCurrentApp, 200, "ok", none),
		post("regular user", AliceUsername, AlicePassword, "Portal", 200, "ok", none),
		// Unknown user or wrong password: E005001 without return_status (sso/session.py:275-302, svc/__init__.py:142).
		post("unknown user", "mallory", TestPassword, TestCurrentApp, 403, "error", []string{CodeNotAllowed}),
		post("wrong password", TestUsername, "Not-The-Password-1", TestCurrentApp, 403, "error", []string{CodeNotAllowed}),
		post("empty password", TestUsername, "", TestCurrentApp, 403, "error", []string{CodeNotAllowed}), // session.py:290-293
		// current_app not in [apps] all: HTTP 200 with status error (svc/__init__.py:99-103).
		post("unknown current_app", TestUsername, TestPassword, "NoSuchApp", 200, "error", []string{CodeAppInvalid}),
		// In all, not in login_allowed: 403 E004001 (sso/util.py:311-318, called at session.py:323).
		post("app not allowed to log in", TestUsername, TestPassword, NoLoginApp, 403, "error", []string{CodeAppInvalid}),
		// Locked: E005002 with [login] inform_if_locked=True (sso/util.py:363-369, cli/create_server.py:427).
		post("locked user", CarolUsername, CarolPassword, TestCurrentApp, 403, "error", []string{CodeLocked}),
		// password_must_change without new_password: E003007 (sso/util.py:431-437, create_server.py:450).
		post("must change", BobUsername, BobPassword, TestCurrentApp, 403, "error", []string{CodeMustSendNew}),
	}
	// is_active is never checked (zato-common .../odb/model/sso.py _SSOUser: "Currently unused").
	r := post("inactive user logs in", "dora", "Dora-Pass-8812", TestCurrentApp, 200, "ok", none)
	r.setup = inactive
	rows = append(rows, r)
	// Expired: inform_if_expired=False, so E005001 (sso/util.py:393-399, create_server.py:448).
	r = post("expired password", "dora", "Dora-Pass-8812", TestCurrentApp, 403, "error", []string{CodeNotAllowed})
	r.setup = expired
	rows = append(rows, r)
	// Within about_to_expire_threshold: HTTP 200, status warning, W003005, and a session (svc/user.py:90-95, sso/util.py:405-425).
	r = post("about to expire", "dora", "Dora-Pass-8812", TestCurrentApp, 200, "warning", []string{CodeAboutToExpire})
	r.setup = expiring
	r.check = func(t *testing.T, e *Emulator, a answer) {
		if ust, _ := a.body["ust"].(string); ust == "" || e.Logins() != 1 {
			t.Fatalf("a warning login gives a session: %s", a.raw)
		}
	}
	rows = append(rows, r)
	// Missing required input: HTTP 400 "Bad request", no details on SSO channels (chn:474-485).
	rows = append(rows, zatoRow{name: "no current_app", as: "none", method: "POST", path: "/zato/sso/user/login",
		body: map[string]any{"username": TestUsername, "password": TestPassword, "current_app": nil}, wantHTTP: 400})
	runZatoRows(t, rows)
}

func TestZatoConformance_setPassword(t *testing.T) {
	long := strings.Repeat("Ab1-", 64) + "x" // 257 characters
	patch := func(name, as string, body map[string]any, http int, status string, codes []string) zatoRow {
		return zatoRow{name: name, as: as, method: "PATCH", path: "/zato/sso/user/password", body: body, wantHTTP: http, wantStatus: status, wantCodes: codes}
	}
	set := func(pw string, kv ...any) map[string]any {
		m := map[string]any{"user_id": AliceUserID, "new_password": pw}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return m
	}
	// expiry checks Alice's new password and its expiry in days from t0.
	expiry := func(pw string, days int) func(t *testing.T, e *Emulator, a answer) {
		return func(t *testing.T, e *Emulator, _ answer) {
			u, _ := e.GetUser(AliceUserID)
			if u.Password != pw || !u.PasswordLastSet.Equal(t0) || !u.PasswordExpiry.Equal(t0.AddDate(0, 0, days)) {
				t.Fatalf("after the set: %+v", u)
			}
		}
	}
	unchanged := func(id, pw string) func(t *testing.T, e *Emulator, a answer) {
		return func(t *testing.T, e *Emulator, _ answer) {
			if got, _ := e.CurrentPassword(id); got != pw {
				t.Fatalf("the password changed to %q", got)
			}
		}
	}
	ok := func(name string, body map[string]any, check func(*testing.T, *Emulator, answer)) zatoRow {
		r := patch(name, "", body, 200, "ok", none)
		r.check = check
		return r
	}
	refused := func(name, as string, body map[string]any, http int, status string, codes ...string) zatoRow {
		r := patch(name, as, body, http, status, codes)
		if status != "" {
			r.check = unchanged(AliceUserID, AlicePassword)
		}
		return r
	}
	runZatoRows(t, []zatoRow{
		// A super-user on another user: set_password (sso/user.py:1235-1242); expiry default [password] expiry=730 (create_server.py:447).
		ok("super-user sets, default expiry", set("Brand-New-Pass-42"), expiry("Brand-New-Pass-42", DefaultPasswordExpiryDays)),
		ok("expiry in days", set("Brand-New-Pass-42", "password_expiry", 30), expiry("Brand-New-Pass-42", 30)),
		ok("expiry as a string", set("Brand-New-Pass-42", "password_expiry", "7"), expiry("Brand-New-Pass-42", 7)), // Int() SimpleIO input (svc/user.py:341)
		// Negative: logged, replaced by the default (svc/user.py:363-368).
		ok("negative expiry takes the default", set("Brand-New-Pass-42", "password_expiry", -3), expiry("Brand-New-Pass-42", DefaultPasswordExpiryDays)),
		// 0 is falsy: `password_expiry or sso_conf.password.expiry` (sso/util.py:181).
		ok("zero expiry takes the default", set("Brand-New-Pass-42", "password_expiry", 0), expiry("Brand-New-Pass-42", DefaultPasswordExpiryDays)),
		// password_must_change is no input of this service: ignored (svc/user.py:339-341; the vendor's test_user.py:745-789 relies on it).
		ok("password_must_change is ignored", set("Brand-New-Pass-42", "password_must_change", true), func(t *testing.T, e *Emulator, _ answer) {
			if u, _ := e.GetUser(AliceUserID); u.MustChange || u.Password != "Brand-New-Pass-42" {
				t.Fatalf("%+v", u)
			}
		}),
		// The UPDATE matches no row and raises nothing: ok, nothing changed (sso/util.py:198-204).
		ok("unknown user is ok and changes nothing", set("Brand-New-Pass-42", "user_id", "zusrnosuchuser"), func(t *testing.T, e *Emulator, _ answer) {
			if _, found := e.GetUser("zusrnosuchuser"); found {
				t.Fatal("a user appeared")
			}
			unchanged(AliceUserID, AlicePassword)(t, e, answer{})
		}),
		// One code, the first failing rule: too short, too long, reject list (sso/util.py:91-118).
		refused("too short", "", set("Ab1-x"), 403, "error", CodePasswordTooShort),
		refused("too long", "", set(long), 403, "error", CodePasswordTooLong),
		refused("short and rejected: one code", "", set("qwerty"), 403, "error", CodePasswordTooShort),
		// The reject list matches substrings, lower-cased (util.py:113-118); google is listed (create_server.py:477).
		refused("reject list substring", "", set("Google-Marble-Orbit-44"), 403, "error", CodePasswordRejected),
		refused("reject list, any case", "", set("My-PassWord-2025"), 403, "error", CodePasswordRejected),
		// must_change: not in change_password.all_attrs (sso/user.py:172-186), checked before the session (:1206, :951-961).
		refused("must_change is invalid input", "none", set("Brand-New-Pass-42", "must_change", true, "ust", "gAAAAAno-session"), 403, "error", CodeInvalidInput),
		// A regular user on another user: E008002 (sso/user.py:1220-1228).
		refused("regular user on another user", "alice", set("Brand-New-Pass-42", "user_id", BobUserID), 403, "error", CodeInvalidInput),
		// One's own password needs old_password, a super-user's too (sso/user.py:1244-1249).
		refused("own password without old_password", "alice", set("Brand-New-Pass-42", "user_id", nil), 403, "error", CodeNotAllowed),
		// On that path a validation failure is masked as E005001 (sso/user.py:1266-1272).
		refused("own password too short is masked", "alice", set("Ab1-x", "user_id", nil, "old_password", AlicePassword), 403, "error", CodeNotAllowed),
		// An unknown UST: E007001, disclosed by the REST-verb service (sso/session.py:508-510, svc/__init__.py:159-172).
		refused("unknown session", "none", set("Brand-New-Pass-42", "ust", "gAAAAAnot-a-session"), 403, "error", CodeNoSuchSession),
		// current_app not in [apps] all: HTTP 200, status error (svc/__init__.py:99-103).
		refused("unknown current_app", "", set("Brand-New-Pass-42", "current_app", "Nope"), 200, "error", CodeAppInvalid),
		// Missing SimpleIO input: 400 "Bad request" (chn:474-485).
		refused("no new_password", "", map[string]any{"user_id": AliceUserID}, 400, ""),
		// timedelta past year 9999: OverflowError, HTTP 500 with the server's default message (chn:516-524).
		refused("expiry past year 9999", "", set("Brand-New-Pass-42", "password_expiry", 99_999_999), 500, ""),
	})

	// The regular user's own change, with old_password, works and ignores an expiry (sso/user.py:1253-1262).
	e, srv := newServer(t)
	ust := login(t, srv, AliceUsername, AlicePassword)
	a := call(t, srv, http.MethodPatch, "/zato/sso/user/password", map[string]any{"ust": ust, "current_app": TestCurrentApp,
		"old_password": AlicePassword, "new_password": "Alice-Own-Choice-77", "password_expiry": 3})
	if u, _ := e.GetUser(AliceUserID); a.status != 200 || u.Password != "Alice-Own-Choice-77" || !u.PasswordExpiry.Equal(t0.AddDate(0, 0, DefaultPasswordExpiryDays)) {
		t.Fatalf("own change: HTTP %d %s; %+v", a.status, a.raw, u)
	}
}

// expiredSession logs the super-user in and lets the session expire.
func expiredSession(t *testing.T, e *Emulator, srv *httptest.Server) string {
	ust := login(t, srv, TestUsername, TestPassword)
	e.Clock.Advance(SessionLifetime)
	return ust
}

func TestZatoConformance_sessionExpiry(t *testing.T) {
	// An expired session is not found (sso/odb/query.py:202-206): E007001 to a REST-verb service
	// (sso/session.py:508-510), E005001 to the search, which is not one (svc/__init__.py:140-143).
	for path, want := range map[string]string{"/zato/sso/user": CodeNoSuchSession, "/zato/sso/user/search": CodeNotAllowed} {
		e, srv := newServer(t)
		a := call(t, srv, http.MethodGet, path, map[string]any{"ust": expiredSession(t, e, srv), "current_app": TestCurrentApp, "user_id": AliceUserID})
		if a.status != 403 || !slices.Equal(a.subStatus(), []string{want}) {
			t.Errorf("%s: HTTP %d %s, want 403 %s", path, a.status, a.raw, want)
		}
	}
	// 59 minutes in, the session still works: [session] expiry=60 (create_server.py:443).
	e, srv := newServer(t)
	ust := login(t, srv, TestUsername, TestPassword)
	e.Clock.Advance(59 * time.Minute)
	if a := call(t, srv, http.MethodGet, "/zato/sso/user", map[string]any{"ust": ust, "current_app": TestCurrentApp}); a.status != 200 {
		t.Fatalf("HTTP %d %s", a.status, a.raw)
	}
}

func TestZatoConformance_readUser(t *testing.T) {
	get := func(name, as string, body map[string]any, http int, status string, codes []string) zatoRow {
		return zatoRow{name: name, as: as, method: "GET", path: "/zato/sso/user", body: body, wantHTTP: http, wantStatus: status, wantCodes: codes}
	}
	// The answer's keys: the service's SimpleIO output names the user entity has (svc/user.py:132-137,
	// sso/__init__.py:211-261): approv_rej_time and approv_rej_by are declared but never present.
	superKeys := []string{"cid", "status", "sub_status", "user_id", "username", "email", "display_name", "first_name",
		"middle_name", "last_name", "is_active", "is_internal", "is_super_user", "is_approval_needed", "approval_status",
		"approval_status_mod_time", "approval_status_mod_by", "is_locked", "locked_time", "creation_ctx", "locked_by",
		"password_expiry", "password_is_set", "password_must_change", "password_last_set", "sign_up_status", "sign_up_time",
		"is_totp_enabled", "totp_label"}
	// A regular user reading itself: regular_attrs only (sso/user.py:80-89, svc/user.py:162-165).
	regularKeys := []string{"cid", "status", "sub_status", "username", "email", "display_name", "first_name", "middle_name",
		"last_name", "is_totp_enabled", "totp_label"}
	keys := func(want []string, more func(t *testing.T, a answer)) func(t *testing.T, e *Emulator, a answer) {
		return func(t *testing.T, _ *Emulator, a answer) {
			var got []string
			for k := range a.body {
				got = append(got, k)
			}
			slices.Sort(got)
			want := slices.Sorted(slices.Values(want))
			if !slices.Equal(got, want) {
				t.Fatalf("keys %v, want %v", got, want)
			}
			if more != nil {
				more(t, a)
			}
		}
	}
	rows := []zatoRow{
		get("super-user reads a user", "", map[string]any{"user_id": BobUserID}, 200, "ok", none),
		get("regular user reads itself", "alice", nil, 200, "ok", none),
		// A user_id nobody has: E005001 (sso/user.py:642-646); E001100 is never raised.
		get("unknown user", "", map[string]any{"user_id": "zusrnosuchuser"}, 403, "error", []string{CodeNotAllowed}),
		// get_user_by_id needs a super-user: E005001 (sso/user.py:723-735, session.py:631-635).
		get("regular user with a user_id", "alice", map[string]any{"user_id": AliceUserID}, 403, "error", []string{CodeNotAllowed}),
		get("unknown current_app", "", map[string]any{"user_id": BobUserID, "current_app": "Nope"}, 200, "error", []string{CodeAppInvalid}),
		get("no ust", "none", nil, 400, "", nil), // chn:474-485
	}
	rows[0].check = keys(superKeys, func(t *testing.T, a answer) {
		// Datetimes are naive-UTC isoformat() (sso/user.py:680-681); email is null unless set.
		if a.body["password_must_change"] != true || a.body["password_last_set"] != "2025-03-01T12:00:00" ||
			a.body["password_expiry"] != "2027-03-01T12:00:00" || a.body["email"] != nil || a.body["is_locked"] != false {
			t.Fatalf("bob: %s", a.raw)
		}
	})
	rows[1].check = keys(regularKeys, nil)
	runZatoRows(t, rows)
}

func TestZatoConformance_updateUser(t *testing.T) {
	patch := func(name, as string, body map[string]any, http int, status string, codes []string) zatoRow {
		return zatoRow{name: name, as: as, method: "PATCH", path: "/zato/sso/user", body: body, wantHTTP: http, wantStatus: status, wantCodes: codes}
	}
	rows := []zatoRow{
		patch("super-user sets the flag", "", map[string]any{"user_id": AliceUserID, "password_must_change": true}, 200, "ok", none),
		// A regular user may not touch password_must_change (sso/user.py:990-1003).
		patch("regular user", "alice", map[string]any{"user_id": AliceUserID, "password_must_change": false}, 403, "error", []string{CodeInvalidInput}),
		// Nothing to update: E008003 (sso/user.py:951-956).
		patch("only user_id", "", map[string]any{"user_id": AliceUserID}, 403, "error", []string{CodeMissingInput}),
		// The UPDATE is a no-op; the read-back (svc/user.py:269-271) answers E005001 (sso/user.py:642-646).
		patch("unknown user", "", map[string]any{"user_id": "zusrnosuchuser", "password_must_change": true}, 403, "error", []string{CodeNotAllowed}),
		// asbool raises ValueError in the service: HTTP 500 (svc/user.py:257, chn:516-524).
		patch("not a boolean", "", map[string]any{"user_id": AliceUserID, "password_must_change": "maybe"}, 500, "", nil),
	}
	rows[0].check = func(t *testing.T, e *Emulator, _ answer) {
		if u, _ := e.GetUser(AliceUserID); !u.MustChange {
			t.Fatal("must-change not set")
		}
	}
	runZatoRows(t, rows)
}

func TestZatoConformance_search(t *testing.T) {
	search := func(name, as string, body map[string]any, http int, status string, codes []string) zatoRow {
		return zatoRow{name: name, as: as, method: "POST", path: "/zato/sso/user/search", body: body, wantHTTP: http, wantStatus: status, wantCodes: codes}
	}
	total := func(n int, username string) func(t *testing.T, e *Emulator, a answer) {
		return func(t *testing.T, _ *Emulator, a answer) {
			res, _ := a.body["result"].([]any)
			if a.body["total"] != float64(n) || len(res) != min(n, DefaultSearchPageSize) {
				t.Fatalf("total %v, %d results: %s", a.body["total"], len(res), a.raw)
			}
			if username != "" {
				if item, _ := res[0].(map[string]any); item["username"] != username {
					t.Fatalf("found %v", item)
				}
			}
		}
	}
	rows := []zatoRow{
		// user_id has priority over everything (sso/user.py:1557-1559); the vendor's own existence
		// check after a delete is total == 0 (zato-sso/test/zato/test_user.py:627-634).
		search("by user_id", "", map[string]any{"user_id": BobUserID, "username": AliceUsername}, 200, "ok", none),
		search("unknown user_id", "", map[string]any{"user_id": "zusrnosuchuser"}, 200, "ok", none),
		search("everyone", "", nil, 200, "ok", none),
		// Super-users only, E005001 (sso/user.py:1533-1534, session.py:631-635).
		search("regular user", "alice", map[string]any{"user_id": BobUserID}, 403, "error", []string{CodeNotAllowed}),
		search("unknown current_app", "", map[string]any{"current_app": "Nope"}, 200, "error", []string{CodeAppInvalid}),
	}
	rows[0].check = total(1, BobUsername)
	rows[1].check = total(0, "")
	rows[2].check = total(4, TestUsername) // ordered by username (sso/user_search.py:53-58)
	runZatoRows(t, rows)
	// Any method searches: channels have no method (cli/create_cluster.py:966-970).
	e, srv := newServer(t)
	ust := login(t, srv, TestUsername, TestPassword)
	e.DeleteUser(BobUserID)
	if a := call(t, srv, http.MethodGet, "/zato/sso/user/search", map[string]any{"ust": ust, "current_app": TestCurrentApp, "user_id": BobUserID}); a.status != 200 || a.body["total"] != float64(0) {
		t.Fatalf("GET search: HTTP %d %s", a.status, a.raw)
	}
}

func TestCheckPassword(t *testing.T) {
	tests := []struct {
		pw   string
		want string
	}{
		{"Abcdefg1", ""},
		{"Abcdef1", CodePasswordTooShort}, // min_length=8 (create_server.py:454)
		{"ééééééééé", ""},                 // characters, not bytes: Python's len()
		{strings.Repeat("x", 256), ""},
		{strings.Repeat("x", 257), CodePasswordTooLong}, // max_length=256 (create_server.py:455)
		{"xx123456xx", CodePasswordRejected},            // substring (sso/util.py:117)
		{"QWERTYuiop", CodePasswordRejected},            // lower-cased first (util.py:113)
		{"qwerty", CodePasswordTooShort},                // the first failing rule only (util.py:91-118)
		{"Google-Marble-Orbit-44", CodePasswordRejected},
		{"I-love-Zato-99", ""}, // zato is not in the shipped list (create_server.py:458-483)
		{TestPassword, ""},
		{AlicePassword, ""},
	}
	for _, tt := range tests {
		if got := CheckPassword(tt.pw); got != tt.want {
			t.Errorf("CheckPassword(%q) = %q, want %q", tt.pw, got, tt.want)
		}
	}
}
