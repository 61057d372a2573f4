package zato

// The SSO channels, each following Zato 3.2's service and SSO API. Paths
// are relative to code/ on zatosource/zato support/3.2: "service/" is
// zato-server/src/zato/server/service/internal/sso/, "sso/" is
// zato-sso/src/zato/sso/.

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/identityops/terraform-provider-identity/internal/sandbox/emu"
)

// Handler serves the SSO channels, wrapped by the Base (recording, faults,
// throttle).
func (e *Emulator) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /zato/sso/user/login", e.handle(e.login, "username", "password", "current_app"))
	mux.HandleFunc("PATCH /zato/sso/user/password", e.handle(e.changePassword, "ust", "current_app", "new_password"))
	mux.HandleFunc("GET /zato/sso/user", e.handle(e.getUser, "ust", "current_app"))
	mux.HandleFunc("PATCH /zato/sso/user", e.handle(e.updateUser, "ust", "current_app"))
	// SSO channels are created without a method (zato-cli .../cli/create_cluster.py:966-970)
	// and Search does not dispatch on one: any method searches.
	mux.HandleFunc("/zato/sso/user/search", e.handle(e.search, "ust", "current_app"))
	return e.Wrap(mux, func(w http.ResponseWriter) {
		// Zato documents no 429; this keeps the error shape with no
		// sub_status (unconfirmed).
		emu.WriteJSON(w, http.StatusTooManyRequests, map[string]any{"cid": newCID(), "status": "error", "sub_status": []string{}})
	})
}

// handle serves a call: it reads the input, which must have the required
// keys (SimpleIO input_required, else HTTP 400), checks current_app as
// every SSO service does first (service/__init__.py:99-103: not in [apps]
// all → HTTP 200, status "error", E004001, with inform_if_app_invalid=True
// as shipped), and calls serve with e.mu held and the clock's now.
func (e *Emulator) handle(serve func(w http.ResponseWriter, in input, now time.Time), required ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		in, bad := readInput(r)
		if bad == nil {
			bad = in.require(required...)
		}
		if bad != nil {
			writeErr(w, bad)
			return
		}
		if !slices.Contains(Apps, in.str("current_app")) {
			writeErr(w, &ssoError{codes: []string{CodeAppInvalid}, ok200: true})
			return
		}
		now := e.Clock.Now()
		e.mu.Lock()
		defer e.mu.Unlock()
		serve(w, in, now)
	}
}

// session returns the UST's user, or nil when the UST is unknown, expired
// (an expired session is not found at all: sso/odb/query.py:202-206, so it
// is E007001, session.py:508-510) or its user is gone. e.mu must be held.
func (e *Emulator) session(in input, now time.Time) *user {
	s, found := e.sessions[in.str("ust")]
	if !found || !now.Before(s.expires) {
		return nil
	}
	return e.users[s.userID]
}

// login is POST /zato/sso/user/login (service/user.py:56-95 → sso/session.py:252-390),
// its checks in Zato's order. Login is not a REST-verb service: a check
// raised without return_status answers E005001 (service/__init__.py:123-147).
func (e *Emulator) login(w http.ResponseWriter, in input, now time.Time) {
	var u *user
	for _, c := range e.users {
		if c.Username == in.str("username") {
			u = c
			break
		}
	}
	switch {
	case u == nil || in.str("password") == "" || u.Password != in.str("password"):
		writeErr(w, fail(CodeNotAllowed)) // session.py:275-302
		return
	case !slices.Contains(LoginAllowedApps, in.str("current_app")):
		writeErr(w, fail(CodeAppInvalid)) // sso/util.py:311-318, called at session.py:323
		return
	case u.Locked:
		writeErr(w, fail(CodeLocked)) // util.py:363-369, [login] inform_if_locked=True
		return
	case !now.Before(u.PasswordExpiry):
		writeErr(w, fail(CodeNotAllowed)) // util.py:393-399 with inform_if_expired=False
		return
	}
	// util.py:405-425; checked before must-change, answered after it.
	aboutToExpire := now.After(u.PasswordExpiry.AddDate(0, 0, -AboutToExpireDays))
	if u.MustChange {
		np := in.str("new_password")
		if np == "" {
			writeErr(w, fail(CodeMustSendNew)) // util.py:431-437, inform_if_must_be_changed=True
			return
		}
		if code := CheckPassword(np); code != "" {
			writeErr(w, fail(code)) // session.py:341-346
			return
		}
		e.setPassword(u, np, 0, now) // session.py:347-349, must_change=False
		u.MustChange = false
	}
	ust := newUST()
	e.sessions[ust] = &session{userID: u.ID, expires: now.Add(SessionLifetime)}
	e.usts = append(e.usts, ust)
	e.logins++
	if aboutToExpire {
		// service/user.py:90-95: a session, with a warning.
		writeStatus(w, "warning", []string{CodeAboutToExpire}, map[string]any{"ust": ust})
		return
	}
	writeOK(w, map[string]any{"ust": ust})
}

// setPassword is sso/util.py set_password's UPDATE: days <= 0 takes the
// default ([password] expiry, util.py:181).
func (e *Emulator) setPassword(u *user, pw string, days int64, now time.Time) {
	if days <= 0 {
		days = DefaultPasswordExpiryDays
	}
	now = zatoTime(now)
	u.Password = pw
	u.PasswordLastSet = now
	u.PasswordExpiry = now.AddDate(0, 0, int(days))
	u.issued = append(u.issued, pw)
}

// maxExpiryDays keeps now + password_expiry within Python's datetime (year
// 9999); beyond, Zato's timedelta overflows: HTTP 500.
const maxExpiryDays = 2_900_000

// changePassword is PATCH /zato/sso/user/password (service/user.py:336-375 →
// sso/user.py:1201-1274).
func (e *Emulator) changePassword(w http.ResponseWriter, in input, now time.Time) {
	// The keys are checked before the session (sso/user.py:1206, :951-961):
	// must_change is not among change_password.all_attrs (user.py:172-186),
	// so it is E008002 whatever the docs say. password_must_change is not an
	// input of this service at all (service/user.py:339-341): ignored.
	if in.has("must_change") {
		writeErr(w, fail(CodeInvalidInput))
		return
	}
	var days int64
	if in.str("password_expiry") != "" {
		n, bad := in.integer("password_expiry")
		if bad != nil {
			writeErr(w, bad)
			return
		}
		if n > maxExpiryDays {
			writeErr(w, &serverError{msg: "OverflowError"})
			return
		}
		days = n // negative or 0: the default (service/user.py:363-368, sso/util.py:181)
	}
	caller := e.session(in, now)
	if caller == nil {
		writeErr(w, fail(CodeNoSuchSession))
		return
	}
	pw := in.str("new_password")
	id := in.str("user_id")
	if id != "" && id != caller.ID {
		if !caller.SuperUser {
			writeErr(w, fail(CodeInvalidInput)) // sso/user.py:1220-1228
			return
		}
		// A super-user on another user (user.py:1235-1242): validation, then
		// an UPDATE that matches no row for an unknown user_id and raises
		// nothing (util.py:198-204): "ok", and nothing changed.
		if code := CheckPassword(pw); code != "" {
			writeErr(w, fail(code))
			return
		}
		if u, found := e.users[id]; found {
			e.setPassword(u, pw, days, now)
		}
		writeOK(w, nil)
		return
	}
	// One's own password, a super-user's too, needs the old one (user.py:1244-1249);
	// a regular user's expiry is ignored (:1253-1262), and any failure to set
	// it, validation included, is masked as E005001 (:1266-1272).
	if in.str("old_password") != caller.Password {
		writeErr(w, fail(CodeNotAllowed))
		return
	}
	if CheckPassword(pw) != "" {
		writeErr(w, fail(CodeNotAllowed))
		return
	}
	if !caller.SuperUser {
		days = 0
	}
	e.setPassword(caller, pw, days, now)
	writeOK(w, nil)
}

// getUser is GET /zato/sso/user (service/user.py:143-168 → sso/user.py:628-735).
func (e *Emulator) getUser(w http.ResponseWriter, in input, now time.Time) {
	caller := e.session(in, now)
	if caller == nil {
		writeErr(w, fail(CodeNoSuchSession))
		return
	}
	u := caller
	if in.has("user_id") {
		// get_user_by_id needs a super-user (user.py:723-735, session.py:631-635),
		// and a user_id nobody has is E005001 too (user.py:642-646).
		found, ok := e.users[in.str("user_id")]
		if !caller.SuperUser || !ok {
			writeErr(w, fail(CodeNotAllowed))
			return
		}
		u = found
	}
	writeOK(w, userAttrs(u, caller.SuperUser))
}

// updateUser is PATCH /zato/sso/user (service/user.py:230-283 →
// sso/user.py:971-1089), for password_must_change and is_locked.
func (e *Emulator) updateUser(w http.ResponseWriter, in input, now time.Time) {
	// The service keeps only the update attributes given (service/user.py:236-262;
	// others are ignored) and runs asbool on the booleans: a word that is no
	// boolean is an exception, HTTP 500.
	data := map[string]bool{}
	for _, k := range []string{"password_must_change", "is_locked"} {
		if in.has(k) {
			v, bad := in.boolean(k)
			if bad != nil {
				writeErr(w, bad)
				return
			}
			data[k] = v
		}
	}
	if len(data) == 0 {
		writeErr(w, fail(CodeMissingInput)) // user.py:951-956
		return
	}
	caller := e.session(in, now)
	if caller == nil {
		writeErr(w, fail(CodeNoSuchSession))
		return
	}
	id := in.str("user_id")
	if !caller.SuperUser {
		// Only super-users update others, and these attributes (user.py:990-1003).
		writeErr(w, fail(CodeInvalidInput))
		return
	}
	if id == "" {
		id = caller.ID
	}
	// The UPDATE matches no row for an unknown user; the read that follows
	// (service/user.py:269-271) then answers E005001.
	u, found := e.users[id]
	if !found {
		writeErr(w, fail(CodeNotAllowed))
		return
	}
	if v, ok := data["password_must_change"]; ok {
		u.MustChange = v
	}
	if v, ok := data["is_locked"]; ok {
		u.Locked = v
	}
	writeOK(w, nil)
}

// userAttrs is a user as GET /zato/sso/user answers it: the service's
// SimpleIO output names (service/user.py:132-137) that the user entity
// has (sso/__init__.py:211-261), unset ones null, datetimes naive-UTC
// isoformat() (sso/user.py:680-681). A regular caller gets the regular
// attributes only (sso/user.py:80-89; service/user.py:162-165).
func userAttrs(u *user, all bool) map[string]any {
	var email any
	if u.Email != "" {
		email = u.Email
	}
	out := map[string]any{
		"username": u.Username, "email": email, "display_name": nil, "first_name": nil, "middle_name": nil,
		"last_name": nil, "is_totp_enabled": false, "totp_label": "",
	}
	if !all {
		return out
	}
	var lockedTime any
	if u.Locked {
		lockedTime = pyISO(u.created)
	}
	for k, v := range map[string]any{
		"user_id": u.ID, "is_active": !u.Inactive, "is_internal": false, "is_super_user": u.SuperUser,
		// [signup] is_approval_needed=True (create_server.py:496; sso/user.py:667).
		"is_approval_needed": true, "approval_status": "approved",
		"approval_status_mod_time": pyISO(u.created), "approval_status_mod_by": nil,
		"is_locked": u.Locked, "locked_time": lockedTime, "creation_ctx": nil, "locked_by": nil,
		"password_expiry": pyISO(u.PasswordExpiry), "password_is_set": u.Password != "",
		"password_must_change": u.MustChange, "password_last_set": pyISO(u.PasswordLastSet),
		"sign_up_status": "final", "sign_up_time": pyISO(u.created),
	} {
		out[k] = v
	}
	return out
}

// search is /zato/sso/user/search (service/user.py:432-458 → sso/user.py:1524-1637):
// super-users only. Search is not a REST-verb service, so an unknown or
// expired UST, like a regular user's, is E005001 (session.py:510 raises
// without return_status). user_id wins over username; the name filters are
// not emulated.
func (e *Emulator) search(w http.ResponseWriter, in input, now time.Time) {
	caller := e.session(in, now)
	if caller == nil || !caller.SuperUser {
		writeErr(w, fail(CodeNotAllowed))
		return
	}
	var found []*user
	for _, u := range e.users {
		switch {
		case in.has("user_id"):
			if u.ID == in.str("user_id") {
				found = append(found, u)
			}
		case in.has("username"):
			if u.Username == in.str("username") {
				found = append(found, u)
			}
		default:
			found = append(found, u)
		}
	}
	// Ordered by display_name (null here), username, sign_up_time, user_id (sso/user_search.py:53-58).
	slices.SortFunc(found, func(a, b *user) int {
		if c := strings.Compare(a.Username, b.Username); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	// Paging (sso/user.py:1536-1544): pages of default_page_size, at most max_page_size.
	cur, size := 1, DefaultSearchPageSize
	if n, bad := in.integer("cur_page"); bad == nil && n > 1 {
		cur = int(n)
	}
	if n, bad := in.integer("page_size"); bad == nil && n >= 1 {
		size = int(min(n, MaxSearchPageSize))
	}
	total := len(found)
	pages := (total + size - 1) / size
	from := min((cur-1)*size, total)
	result := []any{}
	for _, u := range found[from:min(from+size, total)] {
		item := userAttrs(u, true)
		item["is_rate_limit_active"], item["rate_limit_def"], item["rate_limit_type"], item["rate_limit_check_parent_def"] = nil, nil, nil, nil
		result = append(result, item)
	}
	page := func(ok bool, n int) any {
		if ok {
			return n
		}
		return nil
	}
	writeOK(w, map[string]any{
		"total": total, "num_pages": pages, "page_size": size, "cur_page": cur,
		"has_next_page": cur < pages, "has_prev_page": cur > 1,
		"next_page": page(cur < pages, cur+1), "prev_page": page(cur > 1, cur-1),
		"result": result,
	})
}
