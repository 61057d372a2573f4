package huawei

import (
	"bytes"
	"crypto/hmac"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/identityops/terraform-provider-identity/internal/sandbox/emu"
)

const headerRequestID = "X-Request-Id"

// errorBody is Huawei Cloud's error shape.
type errorBody struct {
	ErrorCode                   string `json:"error_code"`
	ErrorMsg                    string `json:"error_msg"`
	RequestID                   string `json:"request_id"`
	EncodedAuthorizationMessage string `json:"encoded_authorization_message,omitempty"`
}

// writeError answers in Huawei Cloud's error shape, with the request id in
// the body and in X-Request-Id.
func writeError(w http.ResponseWriter, status int, code, msg string) {
	writeErrorBody(w, status, errorBody{ErrorCode: code, ErrorMsg: msg})
}

func writeErrorBody(w http.ResponseWriter, status int, body errorBody) {
	body.RequestID = requestID(w)
	emu.WriteJSON(w, status, body)
}

// requestID returns the answer's request id, setting one when there is none.
func requestID(w http.ResponseWriter) string {
	id := w.Header().Get(headerRequestID)
	if id == "" {
		id = newRequestID()
		w.Header().Set(headerRequestID, id)
	}
	return id
}

// authFailed is the API Gateway's answer to a request whose AK/SK
// authentication fails (status and code as Huawei's gateway sends them; the
// texts after the colon are the emulator's own).
func authFailed(w http.ResponseWriter, why string) {
	writeError(w, http.StatusUnauthorized, "APIGW.0301", "Incorrect IAM authentication information: "+why)
}

// authenticated verifies the request's SDK-HMAC-SHA256 signature against the
// known secret key before calling next.
func (e *Emulator) authenticated(next func(http.ResponseWriter, *http.Request, credential)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		requestID(w)
		body, err := io.ReadAll(r.Body)
		if err != nil {
			writeError(w, http.StatusBadRequest, "APIGW.0201", "Request body could not be read")
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))

		auth, err := parseAuthorization(r.Header.Get("Authorization"))
		if err != nil {
			authFailed(w, err.Error())
			return
		}
		e.mu.Lock()
		cred, ok := e.creds[auth.accessKey]
		e.mu.Unlock()
		if !ok {
			authFailed(w, "get secretkey failed, ak:"+auth.accessKey+", err:ak not exist")
			return
		}
		if !slices.Contains(auth.signedHeaders, "x-sdk-date") {
			authFailed(w, "x-sdk-date is not a signed header")
			return
		}
		date := r.Header.Get(headerSdkDate)
		at, err := time.Parse(sigDateFormat, date)
		if err != nil {
			authFailed(w, "x-sdk-date is not in the format "+sigDateFormat)
			return
		}
		if skew := e.Clock.Now().Sub(at); skew > MaxClockSkew || skew < -MaxClockSkew {
			authFailed(w, "the signature has expired: x-sdk-date is more than 15 minutes from the server time")
			return
		}
		want, err := signature(r, body, auth.signedHeaders, date, cred.secretKey)
		if err != nil {
			authFailed(w, "verify aksk signature fail, "+err.Error())
			return
		}
		if !hmac.Equal([]byte(want), []byte(auth.signature)) {
			authFailed(w, "verify aksk signature fail")
			return
		}
		if cred.token != "" {
			got := r.Header.Get(headerToken)
			if got == "" || !slices.Contains(auth.signedHeaders, "x-security-token") || !hmac.Equal([]byte(got), []byte(cred.token)) {
				authFailed(w, "the security token is missing, not signed, or does not belong to the access key")
				return
			}
		}
		if cred.member {
			writeErrorBody(w, http.StatusForbidden, errorBody{
				ErrorCode:                   "IIC.1000",
				ErrorMsg:                    "The caller is neither the management account nor a delegated administrator",
				EncodedAuthorizationMessage: encodedAuthorizationMessage(),
			})
			return
		}
		next(w, r, cred)
	}
}

// encodedAuthorizationMessage imitates the long opaque denial reason of a 403.
func encodedAuthorizationMessage() string {
	return "EAM1." + strings.Repeat(newRequestID(), 40)
}

// lookup finds the user of the request's path, answering 404 when the
// identity store or the user does not exist. e.mu must be held.
func (e *Emulator) lookup(w http.ResponseWriter, r *http.Request) *userRecord {
	if r.PathValue("store") != TestIdentityStoreID {
		writeError(w, http.StatusNotFound, "IIC.404", "The identity store does not exist")
		return nil
	}
	u := e.users[r.PathValue("user")]
	if u == nil {
		writeError(w, http.StatusNotFound, "IIC.1002", "The user does not exist")
		return nil
	}
	return u
}

type resetRequest struct {
	Mode string `json:"mode"`
}

func (e *Emulator) resetPassword(w http.ResponseWriter, r *http.Request, _ credential) {
	var req resetRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		writeError(w, http.StatusBadRequest, "IIC.400", "The request body is not valid JSON")
		return
	}
	if req.Mode != "OTP" && req.Mode != "EMAIL" {
		writeError(w, http.StatusBadRequest, "IIC.400", "mode must be OTP or EMAIL")
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	u := e.lookup(w, r)
	if u == nil {
		return
	}
	// No idempotency: every call issues a new one-time password or email.
	if req.Mode == "EMAIL" {
		e.emails = append(e.emails, u.ID)
		emu.WriteJSON(w, http.StatusOK, struct{}{})
		return
	}
	otp := otpRule.Generate()
	u.password, u.hasPwd = otp, true
	u.issued = append(u.issued, otp)
	emu.WriteJSON(w, http.StatusOK, map[string]string{"password": otp})
}

type emailJSON struct {
	Primary bool   `json:"primary"`
	Type    string `json:"type"`
	Value   string `json:"value"`
}

type userJSON struct {
	UserID          string      `json:"user_id"`
	UserName        string      `json:"user_name"`
	DisplayName     string      `json:"display_name"`
	Emails          []emailJSON `json:"emails"`
	Enabled         bool        `json:"enabled"`
	IdentityStoreID string      `json:"identity_store_id"`
	UserType        string      `json:"user_type"`
	CreatedAt       int64       `json:"created_at"`
	CreatedBy       string      `json:"created_by"`
	UpdatedAt       int64       `json:"updated_at"`
	UpdatedBy       string      `json:"updated_by"`
}

func (e *Emulator) getUser(w http.ResponseWriter, r *http.Request, _ credential) {
	e.mu.Lock()
	defer e.mu.Unlock()
	u := e.lookup(w, r)
	if u == nil {
		return
	}
	emu.WriteJSON(w, http.StatusOK, toUserJSON(u))
}

// toUserJSON is a user as DescribeUser and ListUsers answer it. e.mu must
// be held.
func toUserJSON(u *userRecord) userJSON {
	out := userJSON{
		UserID:          u.ID,
		UserName:        u.UserName,
		DisplayName:     u.DisplayName,
		Enabled:         u.Enabled,
		IdentityStoreID: TestIdentityStoreID,
		UserType:        "IdentityCenter",
		CreatedAt:       u.createdAt.UnixMilli(),
		CreatedBy:       "sandbox",
		UpdatedAt:       u.updatedAt.UnixMilli(),
		UpdatedBy:       "sandbox",
	}
	if u.Email != "" {
		out.Emails = []emailJSON{{Primary: true, Type: "work", Value: u.Email}}
	}
	return out
}
